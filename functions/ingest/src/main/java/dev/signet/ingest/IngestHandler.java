package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.api.ApiException;
import dev.signet.api.ApiGateway;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Authenticator;
import dev.signet.api.Principal;
import dev.signet.api.Router;
import dev.signet.api.catalog.EventCatalog;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.event.BatchItem;
import dev.signet.core.event.EventInput;
import dev.signet.core.event.EventInputParser;
import dev.signet.core.event.EventIntake;
import dev.signet.core.event.IdempotentIngest;
import dev.signet.core.event.IngestResult;
import dev.signet.core.event.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/events} and {@code POST /v1/events/batch} behind API Gateway (openapi.yaml):
 * authenticates, parses, applies the rate limit, and hands the events to {@link IdempotentIngest}.
 */
public final class IngestHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /**
     * Time kept back from the invocation's timeout when sending deliveries: sends in flight finish and
     * the Idempotency-Key record is written, so a slow queue ends in a 500 that says how far the
     * request got (and a retry with the key finishes it) rather than in a timeout that says nothing.
     */
    static final Duration SEND_RESERVE = Duration.ofSeconds(4);
    /** Until when this invocation may start sends, set from the Lambda context for each request. */
    private static final ScopedValue<Instant> SEND_DEADLINE = ScopedValue.newInstance();

    private final Clock clock;
    private final Authenticator auth;
    private final IdempotentIngest ingest;
    private final Router router;
    private final IngestRateLimit rateLimit;
    private final EventCatalog catalog;
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
        this(config, stores, clock, new IngestRateLimit(config.ingestRateLimit(), System::nanoTime));
    }

    /** @param rateLimit the per-workspace limit (priming turns it off: it sends one workspace's events thousands of times) */
    IngestHandler(SignetConfig config, Stores stores, Clock clock, IngestRateLimit rateLimit) {
        this.clock = clock;
        this.rateLimit = rateLimit;
        this.catalog = new EventCatalog(stores.catalog(), config.cacheTtl(), clock);
        // Never the admin key: the function that takes the product's traffic cannot read it (template.yaml
        // grants it no Secrets Manager access), so an admin key here is a credential it does not know (401).
        this.auth = new Authenticator(stores.config(), () -> null, clock);
        this.ingest = new IdempotentIngest(new EventIntake(stores.config(), stores.events(), stores.queue(), clock, "ingest"),
                stores.idempotency());
        this.router = new Router()
                .route("POST", "/v1/events", (req, p) -> {
                    Principal.IngestKey key = ingestKey(auth.authenticate(req));
                    EventInput input = EventInputParser.parseOne(req.body());
                    catalog.check(input, "");
                    ApiResponse limited = rateLimit.refusal(key.workspaceId(), 1);
                    return limited != null ? limited : answer(req, ingest.single(request(req, key), input));
                })
                .route("POST", "/v1/events/batch", (req, p) -> {
                    Principal.IngestKey key = ingestKey(auth.authenticate(req));
                    List<BatchItem> items = checked(EventInputParser.parseBatch(req.body()));
                    ApiResponse limited = rateLimit.refusal(key.workspaceId(), Math.max(1, items.size()));
                    return limited != null ? limited : answer(req, ingest.batch(request(req, key), items));
                });
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        Instant deadline = context == null ? Instant.MAX
                : clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(SEND_RESERVE);
        return ScopedValue.where(SEND_DEADLINE, deadline).call(() -> ApiGateway.handle(event, context, router::dispatch));
    }

    /** The routes this function serves, for the OpenAPI check. */
    public List<Router.Route> routes() {
        return router.routes();
    }

    /** The batch with each event whose payload fails its type's schema turned into an item that fails alone. */
    private List<BatchItem> checked(List<BatchItem> items) {
        List<BatchItem> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            BatchItem item = items.get(i);
            if (item instanceof BatchItem.Valid(EventInput event)) {
                try {
                    catalog.check(event, "events[" + i + "].");
                } catch (InvalidInputException e) {
                    item = new BatchItem.Invalid(e);
                }
            }
            out.add(item);
        }
        return out;
    }

    private static Principal.IngestKey ingestKey(Principal principal) {
        if (!(principal instanceof Principal.IngestKey key)) {
            throw ApiException.forbidden("events are sent with a workspace's ingest key");
        }
        return key;
    }

    /** Two requests with the same key are the same request when path and body are the same. */
    private static IdempotentIngest.Request request(ApiRequest req, Principal.IngestKey key) {
        return new IdempotentIngest.Request(key.workspaceId(), key.generation(), req.header("idempotency-key"),
                req.path() + "\n" + new String(req.body(), StandardCharsets.UTF_8), SEND_DEADLINE.orElse(Instant.MAX));
    }

    private static ApiResponse answer(ApiRequest req, IngestResult result) {
        return switch (result) {
            case IngestResult.Answer a -> ApiResponse.json(a.status(), a.body());
            case IngestResult.KeyReused r ->
                    throw ApiException.conflict("this Idempotency-Key was already used with a different request body; use a new key");
            case IngestResult.KeyBusy b ->
                    throw ApiException.conflict("a request with this Idempotency-Key is still being processed; retry shortly");
            case IngestResult.Unfinished u -> throw ApiException.internal(req.requestId(), String.format(
                    "the events are stored but only %d of their %d deliveries could be queued; %s", u.queued(), u.deliveries(),
                    u.resumable() ? "retry with the same Idempotency-Key to queue the rest, each once"
                            : "a retry queues them all again as new events (send an Idempotency-Key to make retries safe)"));
        };
    }
}
