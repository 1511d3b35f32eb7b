package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.core.workspace.Credentials;
import dev.signet.core.workspace.Workspace;
import dev.signet.testkit.InMemoryStores;
import dev.signet.testkit.MutableClock;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The real {@link IngestHandler} on in-memory stores: a workspace with an ingest key, endpoints added
 * by the test, and requests shaped as API Gateway delivers them. No emulator, no network.
 */
final class IngestFixture {
    static final Instant T0 = Instant.parse("2026-04-17T18:22:00Z");
    static final String WS = "casterly";
    static final String INGEST_KEY = "sgn_ik_casterly-rock-0000000000000000";
    static final String ORDER_COMPLETED = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_77\","
            + "\"payload\":{\"order_id\":\"ord_77\",\"total_cents\":12900}}";

    final MutableClock clock = new MutableClock(T0);
    final InMemoryStores stores = InMemoryStores.create();
    final IngestHandler handler;
    /** The Lambda context requests run with (null: none, as in priming). */
    private Context context;

    /** A reply as the caller sees it. */
    record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            return Json.parseTrusted(body);
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }

    /** {@link #WS}, as created for this fixture: its events are kept under its generation. */
    final Workspace workspace = Workspace.create(WS, "Casterly", T0, T0);

    IngestFixture() {
        this(Map.of(), UnaryOperator.identity());
    }

    String generation() {
        return workspace.generation();
    }

    /**
     * @param env   extra SIGNET_* settings
     * @param ports replaces ports of the in-memory stores (e.g. a queue that holds a call back)
     */
    IngestFixture(Map<String, String> env, UnaryOperator<Stores> ports) {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        Map<String, String> all = new HashMap<>(Map.of("SIGNET_CONFIG_TABLE", "config", "SIGNET_EVENTS_TABLE", "events",
                "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1:1/deliveries", "SIGNET_INGEST_RATE_LIMIT", "0"));
        all.putAll(env);
        stores.config().create(workspace, Credentials.hash(INGEST_KEY));
        handler = new IngestHandler(SignetConfig.from(all), ports.apply(stores.stores()), clock);
    }

    /** An enabled endpoint of {@link #WS} taking {@code eventTypes} (none: every type). */
    Endpoint endpoint(String id, String... eventTypes) {
        Endpoint e = new Endpoint(id, WS, "https://hooks.example.com/" + id, "", "POST", Endpoint.PayloadFormat.ENVELOPE,
                List.of(eventTypes), Map.of(), Endpoint.AuthType.NONE, 15, true, null,
                dev.signet.core.endpoint.StoredCredentials.sealed("k1.never-opened", "whsec_…AAAA"), T0, T0); // ingest never opens credentials
        stores.config().put(e);
        return e;
    }

    Reply emit(String body) {
        return post("/v1/events", body, Map.of());
    }

    Reply emit(String body, String idempotencyKey) {
        return post("/v1/events", body, Map.of("Idempotency-Key", idempotencyKey));
    }

    Reply emitBatch(String body) {
        return post("/v1/events/batch", body, Map.of());
    }

    Reply emitBatch(String body, String idempotencyKey) {
        return post("/v1/events/batch", body, Map.of("Idempotency-Key", idempotencyKey));
    }

    Reply post(String path, String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("authorization", "Bearer " + INGEST_KEY);
        headers.put("content-type", "application/json");
        APIGatewayV2HTTPResponse r = handler.handleRequest(IngestPriming.post(path, headers, body), context);
        return new Reply(r.getStatusCode(), r.getHeaders(), r.getBody());
    }

    /** Runs {@code requests} as invocations with {@code context} (its remaining time, mostly). */
    Reply withContext(Context context, java.util.function.Supplier<Reply> requests) {
        this.context = context;
        try {
            return requests.get();
        } finally {
            this.context = null;
        }
    }

    static String batchOf(String... events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    static String event(String type, int n) {
        return "{\"event\":\"" + type + "\",\"resource_id\":\"ord_" + n + "\",\"payload\":{\"n\":" + n + "}}";
    }
}
