package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.core.aws.PrimingClients;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;

/**
 * SnapStart priming for the ingest function: before the snapshot, runs the real handler on an event
 * and a batch of ten, {@link SnapStartPriming#runs()} times, with {@link PrimingClients} (canned AWS
 * answers, no connection) as its stores: the canned ingest key belongs to a workspace with one endpoint,
 * so authentication, parsing, storing the events and queueing their deliveries all run, often enough
 * for the JIT to compile them, and the restored function starts with the SDK's marshallers, Jackson and
 * Signet's parsing loaded and compiled.
 *
 * <p>It touches no data: no request leaves the process. Nothing unique survives: event ids are drawn
 * inside {@link SnapStartPriming#primeChecked()}'s throwaway random source, and the handler, its stores
 * and the events are thrown away. It runs on the system clock, as the function does, so the compiled
 * code is compiled for the clock it will meet.
 */
public final class IngestPriming extends SnapStartPriming {
    static final String SAMPLE = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_1\","
            + "\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":[1,2,3],\"paid\":true}}";
    /** Events in each primed batch request. */
    static final int BATCH = 10;
    private static final String ENDPOINT_ITEM = "{\"pk\":{\"S\":\"ws#priming\"},\"sk\":{\"S\":\"ep#ep_priming\"},"
            + "\"id\":{\"S\":\"ep_priming\"},\"url\":{\"S\":\"https://priming.invalid/\"},\"description\":{\"S\":\"\"},"
            + "\"method\":{\"S\":\"POST\"},\"payload_format\":{\"S\":\"envelope\"},\"event_types\":{\"L\":[]},"
            + "\"headers\":{\"M\":{}},\"auth_type\":{\"S\":\"none\"},\"timeout_seconds\":{\"N\":\"1\"},"
            + "\"enabled\":{\"BOOL\":true},\"secret_hint\":{\"S\":\"whsec_...AAAA\"},\"credentials\":{\"S\":\"priming.AAAA\"},"
            + "\"created_at\":{\"S\":\"1970-01-01T00:00:00Z\"},\"updated_at\":{\"S\":\"1970-01-01T00:00:00Z\"}}";

    private final SignetConfig config;

    IngestPriming(SignetConfig config) {
        this(config, RUNS);
    }

    /** @param runs how often the event and the batch are sent (tests use a few) */
    IngestPriming(SignetConfig config, int runs) {
        super(runs);
        this.config = config;
    }

    static IngestPriming register(SignetConfig config) {
        return SnapStartPriming.register(new IngestPriming(config));
    }

    @Override
    protected int prime() {
        try (PrimingClients.Primed primed = PrimingClients.create(Map.of(
                "GetItem", "{\"Item\":{\"pk\":{\"S\":\"ikey#priming\"},\"sk\":{\"S\":\"ikey\"},\"workspace_id\":{\"S\":\"priming\"}}}",
                "Query", "{\"Count\":1,\"ScannedCount\":1,\"Items\":[" + ENDPOINT_ITEM + "]}"))) {
            Clock clock = Clock.systemUTC();
            // One workspace, thousands of times: the rate limit is off, or all but the first hundred would be 429s.
            IngestHandler handler = new IngestHandler(config, Stores.from(config, primed.clients(), clock), clock,
                    new IngestRateLimit(0, System::nanoTime));
            APIGatewayV2HTTPEvent single = request("/v1/events", SAMPLE);
            APIGatewayV2HTTPEvent batch = request("/v1/events/batch", "{\"events\":[" + String.join(",", Collections.nCopies(BATCH, SAMPLE)) + "]}");
            repeat(() -> {
                expectAccepted(handler.handleRequest(single, null));
                expectAccepted(handler.handleRequest(batch, null));
            });
            return primed.calls().get();
        }
    }

    /** A primed request that did not get its 202 ran a shorter path than real requests do: refuse to snapshot that. */
    private static void expectAccepted(APIGatewayV2HTTPResponse response) {
        if (response.getStatusCode() != 202) {
            throw new IllegalStateException("a primed ingest request was answered " + response.getStatusCode() + ", not 202: " + response.getBody());
        }
    }

    private static APIGatewayV2HTTPEvent request(String path, String body) {
        return post(path, Map.of("authorization", "Bearer sgn_ik_priming", "content-type", "application/json"), body);
    }

    /** A POST as API Gateway (HTTP API, payload format 2.0) hands it to the function. */
    static APIGatewayV2HTTPEvent post(String path, Map<String, String> headers, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(path)
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                        .build())
                .build();
    }
}
