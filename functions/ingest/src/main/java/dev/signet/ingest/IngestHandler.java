package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.api.AdminKey;
import dev.signet.api.ApiException;
import dev.signet.api.ApiGateway;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Authenticator;
import dev.signet.api.Principal;
import dev.signet.api.Router;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.event.BatchItem;
import dev.signet.core.event.EventInput;
import dev.signet.core.event.EventInputParser;
import dev.signet.core.event.EventIntake;
import dev.signet.core.event.IdempotentIngest;
import dev.signet.core.event.IngestResult;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * {@code POST /v1/events} and {@code POST /v1/events/batch} behind API Gateway (openapi.yaml):
 * authenticates, parses, applies the rate limit, and hands the events to {@link IdempotentIngest}.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Authenticator auth;
    private final IdempotentIngest ingest;
    private final Router router;
    private final IngestRateLimit rateLimit;
    /** SnapStart priming hook, held here because org.crac keeps registered resources weakly. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private IngestPriming priming;

    /** Used by Lambda: wires the real AWS clients from the environment. */
    public IngestHandler() {
        this(SignetConfig.fromEnvironment(), Clock.systemUTC());
    }

    private IngestHandler(SignetConfig config, Clock clock) {
        this(config, Stores.from(config, AwsClients.fromEnvironment(), clock), clock);
        this.priming = IngestPriming.register(config);
    }

    public IngestHandler(SignetConfig config, Stores stores, Clock clock) {
        this.rateLimit = new IngestRateLimit(config.ingestRateLimit(), System::nanoTime);
        // The admin key is only looked up when a request presents one, to answer 403 rather than 401.
        this.auth = new Authenticator(stores.config(), new AdminKey(config, stores.secrets(), clock), clock);
        this.ingest = new IdempotentIngest(new EventIntake(stores.config(), stores.events(), stores.queue(), clock, "ingest"),
                stores.idempotency());
        this.router = new Router()
                .route("POST", "/v1/events", (req, p) -> {
                    String ws = workspaceOf(auth.authenticate(req));
                    EventInput input = EventInputParser.parseOne(req.body());
                    ApiResponse limited = rateLimit.refusal(ws, 1);
                    return limited != null ? limited : answer(ingest.single(ws, idempotencyKey(req), fingerprint(req), input));
                })
                .route("POST", "/v1/events/batch", (req, p) -> {
                    String ws = workspaceOf(auth.authenticate(req));
                    List<BatchItem> items = EventInputParser.parseBatch(req.body());
                    ApiResponse limited = rateLimit.refusal(ws, Math.max(1, items.size()));
                    return limited != null ? limited : answer(ingest.batch(ws, idempotencyKey(req), fingerprint(req), items));
                });
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGateway.handle(event, context, router::dispatch);
    }

    /** The routes this function serves, for the OpenAPI check. */
    public List<Router.Route> routes() {
        return router.routes();
    }

    private static String workspaceOf(Principal principal) {
        if (!(principal instanceof Principal.IngestKey(String workspaceId))) {
            throw ApiException.forbidden("events are sent with a workspace's ingest key");
        }
        return workspaceId;
    }

    private static String idempotencyKey(ApiRequest request) {
        return request.header("idempotency-key");
    }

    /** Two requests with the same key are the same request when path and body are the same. */
    private static String fingerprint(ApiRequest request) {
        return request.path() + "\n" + new String(request.body(), StandardCharsets.UTF_8);
    }

    private static ApiResponse answer(IngestResult result) {
        return switch (result) {
            case IngestResult.Answer a -> ApiResponse.json(a.status(), a.body());
            case IngestResult.KeyReused r ->
                    throw ApiException.conflict("this Idempotency-Key was already used with a different request body; use a new key");
            case IngestResult.KeyBusy b ->
                    throw ApiException.conflict("a request with this Idempotency-Key is still being processed; retry shortly");
        };
    }
}
