package dev.signet.management;

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
 * SnapStart priming for the management function: before the snapshot, sends requests through the
 * real handler with {@link PrimingClients} (canned AWS answers, no connection) as its stores. The
 * canned session belongs to workspace "priming", so authentication, routing, the store reads and
 * the endpoint validation run; nothing is written anywhere and nothing unique survives (the clock is
 * the epoch, draws come from {@link SnapStartPriming#primeChecked()}'s throwaway random source).
 */
public final class ManagementPriming extends SnapStartPriming {
    private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private final SignetConfig config;

    ManagementPriming(SignetConfig config) {
        this.config = config;
    }

    static ManagementPriming register(SignetConfig config) {
        return SnapStartPriming.register(new ManagementPriming(config));
    }


    @Override
    protected int prime() {
        // A session of workspace "priming" that expires long after the epoch (the primed clock).
        try (PrimingClients.Primed primed = PrimingClients.create(Map.of("GetItem",
                "{\"Item\":{\"pk\":{\"S\":\"sess#priming\"},\"sk\":{\"S\":\"session\"},\"workspace_id\":{\"S\":\"priming\"},"
                        + "\"expires_at\":{\"S\":\"1970-01-02T00:00:00Z\"},\"name\":{\"S\":\"priming\"},"
                        + "\"created_at\":{\"S\":\"1970-01-01T00:00:00Z\"}}}"))) {
            ManagementHandler handler = new ManagementHandler(config, Stores.from(config, primed.clients(), EPOCH), EPOCH);
            handler.handleRequest(request("GET", "/v1/workspaces/priming/endpoints", null), null);
            handler.handleRequest(request("GET", "/v1/workspaces/priming/attempts", null), null);
            // The URL is refused when saved, before any id, secret or write: the validation path only.
            handler.handleRequest(request("POST", "/v1/workspaces/priming/endpoints",
                    "{\"url\":\"https://169.254.169.254/priming\",\"event_types\":[\"order.completed\"]}"), null);
            return primed.calls().get();
        }
    }

    private static APIGatewayV2HTTPEvent request(String method, String path, String body) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(path)
                .withHeaders(Map.of("authorization", "Bearer sgn_st_priming", "content-type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .build())
                .build();
    }
}
