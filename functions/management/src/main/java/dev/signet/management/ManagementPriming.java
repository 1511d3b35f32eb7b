package dev.signet.management;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.core.aws.PrimingClients;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;

import java.time.Clock;
import java.util.Map;

/**
 * SnapStart priming for the management function: before the snapshot, sends requests through the
 * real handler, {@link SnapStartPriming#runs()} times, with {@link PrimingClients} (canned AWS answers,
 * no connection) as its stores. The canned session belongs to workspace "priming", so authentication,
 * routing, the store reads (the endpoint list, a page of the delivery log, an endpoint's statistics),
 * the endpoint validation and the portal page run, often enough for the JIT to compile them. Nothing is
 * written anywhere and nothing unique survives (draws come from {@link SnapStartPriming#primeChecked()}'s
 * throwaway random source; the handler and its stores are thrown away).
 */
public final class ManagementPriming extends SnapStartPriming {
    private final SignetConfig config;

    ManagementPriming(SignetConfig config) {
        this(config, RUNS);
    }

    /** @param runs how often the requests are sent (tests use a few) */
    ManagementPriming(SignetConfig config, int runs) {
        super(runs);
        this.config = config;
    }

    static ManagementPriming register(SignetConfig config) {
        return SnapStartPriming.register(new ManagementPriming(config));
    }

    @Override
    protected int prime() {
        // A session of workspace "priming" that never expires (the same item answers the workspace's read:
        // no generation and epoch 0 on both, so the session belongs to it).
        try (PrimingClients.Primed primed = PrimingClients.create(Map.of("GetItem",
                "{\"Item\":{\"pk\":{\"S\":\"sess#priming\"},\"sk\":{\"S\":\"session\"},\"workspace_id\":{\"S\":\"priming\"},"
                        + "\"expires_at\":{\"S\":\"9999-12-31T00:00:00Z\"},\"name\":{\"S\":\"priming\"},"
                        + "\"created_at\":{\"S\":\"1970-01-01T00:00:00Z\"}}}"))) {
            Clock clock = Clock.systemUTC();
            ManagementHandler handler = new ManagementHandler(config, Stores.from(config, primed.clients(), clock), clock);
            APIGatewayV2HTTPEvent endpoints = request("GET", "/v1/workspaces/priming/endpoints", null);
            APIGatewayV2HTTPEvent attempts = request("GET", "/v1/workspaces/priming/attempts", null);
            APIGatewayV2HTTPEvent portal = request("GET", "/portal", null);
            // The URL is refused when saved, before any id, secret or write: the validation path only.
            APIGatewayV2HTTPEvent refused = request("POST", "/v1/workspaces/priming/endpoints",
                    "{\"url\":\"https://169.254.169.254/priming\",\"event_types\":[\"order.completed\"]}");
            repeat(() -> {
                expect(200, handler.handleRequest(endpoints, null));
                expect(200, handler.handleRequest(attempts, null));
                expect(200, handler.handleRequest(portal, null));
                expect(400, handler.handleRequest(refused, null));
            });
            return primed.calls().get();
        }
    }

    /** A primed request answered otherwise ran another path than real requests do: refuse to snapshot that. */
    private static void expect(int status, APIGatewayV2HTTPResponse response) {
        if (response.getStatusCode() != status) {
            throw new IllegalStateException("a primed management request was answered " + response.getStatusCode()
                    + ", not " + status + ": " + response.getBody());
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
