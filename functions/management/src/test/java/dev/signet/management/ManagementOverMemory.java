package dev.signet.management;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.json.Json;
import dev.signet.testkit.InMemoryStores;
import dev.signet.testkit.MutableClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The real management function over in-memory stores, called as API Gateway calls it: requests in,
 * status, headers and JSON out. Loopback http URLs are allowed, as in local mode, so an endpoint can
 * be created without resolving a name.
 */
final class ManagementOverMemory {
    static final String ADMIN = "test-admin-key-0123456789";

    final InMemoryStores stores = InMemoryStores.create();
    final MutableClock clock;
    final ManagementHandler handler;

    ManagementOverMemory(MutableClock clock) {
        this(clock, Map.of());
    }

    /** With extra settings, e.g. {@code Map.of("SIGNET_EGRESS_IPS", "203.0.113.7")}. */
    ManagementOverMemory(MutableClock clock, Map<String, String> settings) {
        this.clock = clock;
        Map<String, String> env = new HashMap<>(Map.of(
                "SIGNET_CONFIG_TABLE", "config", "SIGNET_EVENTS_TABLE", "events",
                "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1:1/queue/deliveries", "SIGNET_ADMIN_KEY", ADMIN,
                "SIGNET_ALLOW_HTTP", "true", "SIGNET_ALLOW_PRIVATE_CIDRS", "127.0.0.0/8",
                "SIGNET_PUBLIC_URL", "http://127.0.0.1:8080", "SIGNET_CREDENTIAL_KEY_SECRET_ID", InMemoryStores.CREDENTIAL_KEY_SECRET_ID));
        env.putAll(settings);
        this.handler = new ManagementHandler(SignetConfig.from(env), stores.stores(), clock);
    }

    /** One answer: status, headers (names lower-case), body. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return Json.parse(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String text(String field) {
            return json().path(field).asText();
        }
    }

    Reply call(String method, String path, String bearer, String body) {
        int query = path.indexOf('?');
        Map<String, String> params = null;
        if (query >= 0) {
            params = new HashMap<>();
            for (String pair : path.substring(query + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawPath(query < 0 ? path : path.substring(0, query))
                .withQueryStringParameters(params)
                .withHeaders(bearer == null ? Map.of() : Map.of("authorization", "Bearer " + bearer))
                .withBody(body)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).build()).build())
                .build();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        Map<String, String> lower = new HashMap<>();
        response.getHeaders().forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new Reply(response.getStatusCode(), lower, response.getBody());
    }

    /** A workspace and a session token of it. */
    String workspaceWithSession(String id) {
        Reply ws = call("POST", "/v1/workspaces", ADMIN, "{\"name\":\"" + id + "\",\"id\":\"" + id + "\"}");
        if (ws.status() != 201) {
            throw new AssertionError("create workspace: " + ws);
        }
        Reply session = call("POST", "/v1/workspaces/" + id + "/sessions", ADMIN, "{\"ttl_seconds\":900}");
        if (session.status() != 201) {
            throw new AssertionError("create session: " + session);
        }
        return session.text("token");
    }

    /** An endpoint created by the session, on a loopback URL nothing listens on. */
    String endpoint(String workspace, String session) {
        Reply ep = call("POST", "/v1/workspaces/" + workspace + "/endpoints", session, "{\"url\":\"http://127.0.0.1:9/hook\"}");
        if (ep.status() != 201) {
            throw new AssertionError("create endpoint: " + ep);
        }
        return ep.text("id");
    }
}
