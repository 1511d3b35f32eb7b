package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.local.ApiClient;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A workspace set up the way a product and its customer would: the backend creates the workspace and
 * a portal session with the admin key; the customer creates an endpoint in the portal session.
 */
record Tenant(String workspaceId, String ingestKey, String sessionToken, String endpointId, String secret, JsonNode endpoint) {

    static Tenant create(ApiClient api, String adminKey, String workspaceId, String endpointJson) {
        ApiClient.Reply ws = api.post("/v1/workspaces", adminKey, "{\"name\":\"Casterly\",\"id\":\"" + workspaceId + "\"}");
        assertThat(ws.status()).as(ws.body()).isEqualTo(201);
        ApiClient.Reply session = api.post("/v1/workspaces/" + workspaceId + "/sessions", adminKey, "{\"ttl_seconds\":3600}");
        assertThat(session.status()).as(session.body()).isEqualTo(201);
        String token = session.text("token");
        if (endpointJson == null) {
            return new Tenant(workspaceId, ws.text("ingest_key"), token, null, null, null);
        }
        ApiClient.Reply ep = api.post("/v1/workspaces/" + workspaceId + "/endpoints", token, endpointJson);
        assertThat(ep.status()).as(ep.body()).isEqualTo(201);
        JsonNode endpoint = ep.json();
        return new Tenant(workspaceId, ws.text("ingest_key"), token, endpoint.path("id").asText(),
                endpoint.path("secret").asText(null), endpoint);
    }

    static String endpointFor(String url) {
        return "{\"url\":\"" + url + "\"}";
    }

    /** Adds another endpoint in the tenant's portal session; returns its id. */
    String addEndpoint(ApiClient api, String endpointJson) {
        ApiClient.Reply ep = api.post("/v1/workspaces/" + workspaceId + "/endpoints", sessionToken, endpointJson);
        assertThat(ep.status()).as(ep.body()).isEqualTo(201);
        return ep.text("id");
    }

    /** Emits the seed's order.completed event with the workspace's ingest key. */
    ApiClient.Reply emit(ApiClient api, String body) {
        return api.post("/v1/events", ingestKey, body);
    }

    /** Emits with extra request headers, e.g. an Idempotency-Key. */
    ApiClient.Reply emit(ApiClient api, String body, Map<String, String> headers) {
        return api.send("POST", "/v1/events", ingestKey, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static final String SEED_EVENT = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\","
            + "\"payload\":{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"account_id\":\"acc_casterly\","
            + "\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,\"completed_at\":\"2026-04-17T18:22:00Z\"}}";
}
