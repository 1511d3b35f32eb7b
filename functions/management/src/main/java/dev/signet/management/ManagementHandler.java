package dev.signet.management;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.api.AdminKey;
import dev.signet.api.ApiGateway;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Authenticator;
import dev.signet.api.Router;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.Stores;
import dev.signet.core.store.ConfigStore;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EventStore;
import dev.signet.core.credentials.CredentialVault;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.urlguard.UrlGuard;

import java.time.Clock;
import java.util.List;

/** Workspaces, sessions, endpoints, the delivery log (openapi.yaml) and the embedded portal, behind API Gateway. */
public final class ManagementHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final Authenticator auth;
    private final Router router;
    private final Portal portal;
    /** SnapStart priming hook, held here because org.crac keeps registered resources weakly. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private ManagementPriming priming;

    /** Used by Lambda: wires the real AWS clients from the environment. */
    public ManagementHandler() {
        this(SignetConfig.fromEnvironment(), Clock.systemUTC());
    }

    private ManagementHandler(SignetConfig config, Clock clock) {
        this(config, Stores.from(config, AwsClients.fromEnvironment(), clock), clock);
        this.priming = ManagementPriming.register(config);
    }

    public ManagementHandler(SignetConfig config, Stores stores, Clock clock) {
        ConfigStore store = stores.config();
        UrlGuard guard = UrlGuard.system(config);
        CredentialVault vault = new CredentialVault(stores.secrets(), config.credentialKeySecretId(), clock, config.credentialKeyCacheTtl());
        WorkspaceApi workspaces = new WorkspaceApi(store, store, clock, config.publicUrl());
        EndpointApi endpoints = new EndpointApi(store, vault, workspaces, guard, clock);
        EventStore events = stores.events();
        DeliveryQueue queue = stores.queue();
        SecretRotationApi rotation = new SecretRotationApi(new EndpointChanges(store, vault, clock), workspaces, clock);
        TestEventApi testEvents = new TestEventApi(store, workspaces, events, queue, stores.catalog(), clock);
        EventTypeApi eventTypes = new EventTypeApi(stores.catalog(), clock);
        EndpointStatsApi endpointStats = new EndpointStatsApi(store, stores.stats(), clock);
        DeliveryLogApi deliveryLog = new DeliveryLogApi(workspaces, events, stores.deliveryLog());
        RedeliveryApi redelivery = new RedeliveryApi(store, workspaces, events, queue,
                new Recovery(events, stores.deliveryLog(), queue, clock, Recovery.Limits.DEFAULT), config.retention(), clock);
        this.portal = new Portal(config.portalFrameAncestors(), config.portalAccent(), config.portalProductName());
        ApiDescription description = new ApiDescription();
        EgressApi egress = new EgressApi(config.egressIps());
        this.auth = new Authenticator(store, new AdminKey(config, stores.secrets(), clock), clock);
        this.router = new Router()
                .route("GET", ApiDescription.PATH, (r, p) -> description.serve())
                .route("GET", EventTypeApi.PATH, (r, p) -> eventTypes.list(auth.authenticate(r)))
                .route("GET", EventTypeApi.PATH + "/{type}", (r, p) -> eventTypes.get(auth.authenticate(r), p.get("type")))
                .route("PUT", EventTypeApi.PATH + "/{type}", (r, p) -> eventTypes.put(auth.authenticate(r), p.get("type"), r))
                .route("DELETE", EventTypeApi.PATH + "/{type}", (r, p) -> eventTypes.delete(auth.authenticate(r), p.get("type")))
                .route("GET", EgressApi.PATH, (r, p) -> egress.addresses(auth.authenticate(r)))
                .route("POST", "/v1/workspaces", (r, p) -> workspaces.create(auth.authenticate(r), r))
                .route("GET", "/v1/workspaces", (r, p) -> workspaces.list(auth.authenticate(r), r))
                .route("GET", "/v1/workspaces/{ws}", (r, p) -> workspaces.get(auth.authenticate(r), p.get("ws")))
                .route("DELETE", "/v1/workspaces/{ws}", (r, p) -> workspaces.delete(auth.authenticate(r), p.get("ws")))
                .route("POST", "/v1/workspaces/{ws}/ingest-keys", (r, p) -> workspaces.rotateIngestKey(auth.authenticate(r), p.get("ws")))
                .route("POST", "/v1/workspaces/{ws}/sessions", (r, p) -> workspaces.createSession(auth.authenticate(r), p.get("ws"), r))
                .route("DELETE", "/v1/workspaces/{ws}/sessions", (r, p) -> workspaces.revokeSessions(auth.authenticate(r), p.get("ws")))
                .route("GET", "/v1/workspaces/{ws}/endpoints", (r, p) -> endpoints.list(auth.authenticate(r), p.get("ws")))
                .route("POST", "/v1/workspaces/{ws}/endpoints", (r, p) -> endpoints.create(auth.authenticate(r), p.get("ws"), r))
                .route("GET", "/v1/workspaces/{ws}/endpoints/{ep}", (r, p) -> endpoints.get(auth.authenticate(r), p.get("ws"), p.get("ep")))
                .route("GET", "/v1/workspaces/{ws}/endpoints/{ep}/stats", (r, p) -> endpointStats.stats(auth.authenticate(r), p.get("ws"), p.get("ep"), r))
                .route("POST", "/v1/workspaces/{ws}/endpoints/{ep}/recover", (r, p) -> redelivery.recover(auth.authenticate(r), p.get("ws"), p.get("ep"), r))
                .route("GET", "/v1/workspaces/{ws}/attempts", (r, p) -> deliveryLog.attempts(auth.authenticate(r), p.get("ws"), r))
                .route("GET", "/v1/workspaces/{ws}/events/{evt}", (r, p) -> deliveryLog.event(auth.authenticate(r), p.get("ws"), p.get("evt")))
                .route("POST", "/v1/workspaces/{ws}/events/{evt}/retry", (r, p) -> redelivery.retry(auth.authenticate(r), p.get("ws"), p.get("evt"), r))
                .route("PATCH", "/v1/workspaces/{ws}/endpoints/{ep}", (r, p) -> endpoints.update(auth.authenticate(r), p.get("ws"), p.get("ep"), r))
                .route("DELETE", "/v1/workspaces/{ws}/endpoints/{ep}", (r, p) -> endpoints.delete(auth.authenticate(r), p.get("ws"), p.get("ep")))
                .route("POST", "/v1/workspaces/{ws}/endpoints/{ep}/secret", (r, p) -> rotation.rotate(auth.authenticate(r), p.get("ws"), p.get("ep"), r))
                .route("POST", "/v1/workspaces/{ws}/endpoints/{ep}/test", (r, p) -> testEvents.send(auth.authenticate(r), p.get("ws"), p.get("ep"), r));
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return ApiGateway.handle(event, context, this::dispatch);
    }

    /** The routes this function serves, for the OpenAPI check. */
    public List<Router.Route> routes() {
        return router.routes();
    }

    /** The portal's pages, or the JSON API (the portal is not part of the API the OpenAPI file describes). */
    ApiResponse dispatch(ApiRequest request) {
        return Portal.owns(request.path()) ? portal.serve(request) : router.dispatch(request);
    }
}
