package dev.signet.management;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.signet.core.aws.PrimingClients;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.log.Log;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * SnapStart priming for the management function: before the snapshot, sends two requests through a
 * throwaway handler on {@link PrimingClients} (canned AWS answers, no connection). Both carry a
 * session token no store knows, so they end in 401 before any data is read or written; nothing
 * unique (ids, secrets, random state) is created.
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
        Log.redirect(new PrintStream(OutputStream.nullOutputStream())); // primed requests are not requests anyone made
        try (PrimingClients.Primed primed = PrimingClients.create()) {
            ManagementHandler handler = new ManagementHandler(config, primed.clients(), EPOCH);
            handler.handleRequest(request("GET", "/v1/workspaces/priming/endpoints", null), null);
            handler.handleRequest(request("POST", "/v1/workspaces/priming/endpoints",
                    "{\"url\":\"https://hooks.example.com/priming\",\"event_types\":[\"order.completed\"]}"), null);
            return primed.calls().get();
        } finally {
            Log.redirect(System.out);
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
