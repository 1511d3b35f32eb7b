package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.signet.core.event.EventInput;
import dev.signet.core.event.EventInputParser;
import dev.signet.core.event.EventIntake;
import dev.signet.core.event.InvalidInputException;
import dev.signet.core.json.Json;
import dev.signet.core.store.IdempotencyStore;
import dev.signet.core.store.IdempotencyStore.Claim;
import dev.signet.core.workspace.Credentials;

import java.time.Clock;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/** {@code POST /v1/events} and {@code POST /v1/events/batch} behind API Gateway (CONTRACT §2). */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final Authenticator auth;
    private final EventIntake ingest;
    private final IdempotencyStore idempotency;
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
        this.ingest = new EventIntake(stores.config(), stores.events(), stores.queue(), clock, "ingest");
        this.idempotency = stores.idempotency();
        this.router = new Router()
                .route("POST", "/v1/events", (req, p) -> {
                    String ws = workspaceOf(auth.authenticate(req));
                    EventInput input = EventInputParser.parseOne(req.body());
                    ApiResponse limited = rateLimit.refusal(ws, 1);
                    return limited != null ? limited : idempotent(req, ws, () -> single(ws, input));
                })
                .route("POST", "/v1/events/batch", (req, p) -> {
                    String ws = workspaceOf(auth.authenticate(req));
                    List<Object> parsed = EventInputParser.parseBatch(req.body());
                    ApiResponse limited = rateLimit.refusal(ws, Math.max(1, parsed.size()));
                    return limited != null ? limited : idempotent(req, ws, () -> batch(ws, parsed));
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

    private ApiResponse single(String workspaceId, EventInput input) {
        EventIntake.Accepted a = ingest.accept(workspaceId, List.of(input)).getFirst();
        ObjectNode body = Json.object().put("id", a.eventId()).put("deliveries", a.deliveries());
        return ApiResponse.json(202, body);
    }

    private ApiResponse batch(String workspaceId, List<Object> parsed) {
        List<EventInput> valid = new ArrayList<>();
        for (Object o : parsed) {
            if (o instanceof EventInput e) {
                valid.add(e);
            }
        }
        List<EventIntake.Accepted> accepted = ingest.accept(workspaceId, valid);
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        int next = 0;
        for (Object o : parsed) {
            if (o instanceof InvalidInputException e) {
                ObjectNode error = results.addObject().putObject("error");
                error.put("code", "invalid_request").put("message", e.getMessage());
                if (e.field() != null) {
                    error.put("field", e.field());
                }
            } else {
                EventIntake.Accepted a = accepted.get(next++);
                results.addObject().put("id", a.eventId()).put("deliveries", a.deliveries());
            }
        }
        return ApiResponse.json(202, body);
    }

    private static String workspaceOf(Principal principal) {
        if (!(principal instanceof Principal.IngestKey(String workspaceId))) {
            throw ApiException.forbidden("events are sent with a workspace's ingest key");
        }
        return workspaceId;
    }

    /** Runs {@code work} (already validated) at most once per Idempotency-Key and workspace, for 24 h. */
    private ApiResponse idempotent(ApiRequest request, String workspaceId, Supplier<ApiResponse> work) {
        String key = request.header("idempotency-key");
        if (key == null) {
            return work.get();
        }
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw ApiException.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
        String keyHash = Credentials.hash(key);
        String requestHash = Credentials.hash(request.path() + "\n" + new String(request.body(), StandardCharsets.UTF_8));
        return switch (idempotency.claim(workspaceId, keyHash, requestHash)) {
            case Claim.Replay r -> {
                if (!Credentials.same(r.requestHash(), requestHash)) {
                    throw ApiException.conflict("this Idempotency-Key was already used with a different request body; use a new key");
                }
                yield ApiResponse.json(r.status(), r.body());
            }
            case Claim.InProgress p -> throw ApiException.conflict("a request with this Idempotency-Key is still being processed; retry shortly");
            case Claim.Claimed c -> {
                try {
                    ApiResponse response = work.get();
                    idempotency.complete(workspaceId, keyHash, response.status(), response.body());
                    yield response;
                } catch (RuntimeException e) {
                    idempotency.release(workspaceId, keyHash);
                    throw e;
                }
            }
        };
    }
}
