package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.signet.core.aws.PrimingClients;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * SnapStart priming for the ingest function: before the snapshot, runs the real handler on an event
 * and a batch with {@link PrimingClients} (canned AWS answers, no connection) as its stores: the
 * canned ingest key belongs to a workspace with one endpoint, so authentication, parsing, storing the
 * events and queueing their deliveries all run, and the restored function starts with the SDK's
 * marshallers, Jackson and Signet's parsing already loaded and warm.
 *
 * <p>It touches no data: no request leaves the process. Nothing unique survives: the clock is the
 * epoch, and event ids are drawn inside {@link SnapStartPriming#primeChecked()}'s throwaway random source.
 */
public final class IngestPriming extends SnapStartPriming {
    static final String SAMPLE = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_1\","
            + "\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":[1,2,3],\"paid\":true}}";
    private static final String ENDPOINT_ITEM = "{\"pk\":{\"S\":\"ws#priming\"},\"sk\":{\"S\":\"ep#ep_priming\"},"
            + "\"id\":{\"S\":\"ep_priming\"},\"url\":{\"S\":\"https://priming.invalid/\"},\"description\":{\"S\":\"\"},"
            + "\"method\":{\"S\":\"POST\"},\"payload_format\":{\"S\":\"envelope\"},\"event_types\":{\"L\":[]},"
            + "\"headers\":{\"M\":{}},\"auth_type\":{\"S\":\"none\"},\"timeout_seconds\":{\"N\":\"1\"},"
            + "\"enabled\":{\"BOOL\":true},\"secret_hint\":{\"S\":\"whsec_...AAAA\"},\"credentials\":{\"S\":\"priming.AAAA\"},"
            + "\"created_at\":{\"S\":\"1970-01-01T00:00:00Z\"},\"updated_at\":{\"S\":\"1970-01-01T00:00:00Z\"}}";
    private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private final SignetConfig config;

    IngestPriming(SignetConfig config) {
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
            IngestHandler handler = new IngestHandler(config, Stores.from(config, primed.clients(), EPOCH), EPOCH);
            handler.handleRequest(request("/v1/events", SAMPLE), null);
            handler.handleRequest(request("/v1/events/batch", "{\"events\":[" + SAMPLE + "," + SAMPLE + "]}"), null);
            return primed.calls().get();
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
