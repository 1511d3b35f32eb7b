package dev.signet.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.ids.Ids;
import dev.signet.core.json.Json;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.SecretStore;
import dev.signet.core.urlguard.UrlGuard;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Endpoints of a workspace (CONTRACT §5): create, list, get. */
final class EndpointApi {
    static final int MAX_ENDPOINTS_PER_WORKSPACE = 50;

    private final EndpointStore endpoints;
    private final SecretStore secrets;
    private final WorkspaceApi workspaces;
    private final UrlGuard guard;
    private final SignetConfig config;
    private final Clock clock;

    EndpointApi(EndpointStore endpoints, SecretStore secrets, WorkspaceApi workspaces, UrlGuard guard, SignetConfig config, Clock clock) {
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.workspaces = workspaces;
        this.guard = guard;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Creates an endpoint. The secret is stored first and the endpoint second; if the second write
     * fails the secret is removed again, so nothing is left half-made.
     */
    ApiResponse create(Principal p, String workspaceId, ApiRequest request) {
        Access.session(p, workspaceId);
        workspaces.existing(workspaceId);
        Body body = Body.of(request, EndpointInput.CREATE_FIELDS);
        String url = EndpointInput.url(body, guard);
        String description = EndpointInput.description(body);
        String method = EndpointInput.method(body);
        Endpoint.PayloadFormat format = EndpointInput.payloadFormat(body);
        var eventTypes = EndpointInput.eventTypes(body);
        var headers = EndpointInput.headers(body);
        var auth = EndpointInput.auth(body);
        int timeout = EndpointInput.timeoutSeconds(body);
        boolean enabled = body.bool("enabled", true);
        WebhookSecret given = EndpointInput.secret(body);
        if (endpoints.list(workspaceId).size() >= MAX_ENDPOINTS_PER_WORKSPACE) {
            throw ApiException.invalid(null, "a workspace has at most " + MAX_ENDPOINTS_PER_WORKSPACE + " endpoints; delete one first");
        }

        WebhookSecret secret = given != null ? given : WebhookSecret.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String id = Ids.newId("ep_", clock.instant());
        String secretId = config.endpointSecretId(workspaceId, id);
        Endpoint endpoint = new Endpoint(id, workspaceId, url, description, method, format, eventTypes, headers,
                auth.type(), timeout, enabled, null, secret.hint(), secretId, now, now);
        secrets.put(secretId, EndpointCredentials.of(secret, auth));
        try {
            endpoints.create(endpoint);
        } catch (RuntimeException e) {
            secrets.delete(secretId);
            throw e;
        }
        ObjectNode view = Views.endpoint(endpoint);
        if (given == null) {
            view.put("secret", secret.reveal()); // shown this once
        }
        return ApiResponse.json(201, view);
    }

    ApiResponse list(Principal p, String workspaceId) {
        Access.adminOrSession(p, workspaceId);
        workspaces.existing(workspaceId);
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        endpoints.list(workspaceId).forEach(e -> data.add(Views.endpoint(e)));
        return ApiResponse.json(200, body);
    }

    ApiResponse get(Principal p, String workspaceId, String endpointId) {
        Access.adminOrSession(p, workspaceId);
        return endpoints.get(workspaceId, endpointId)
                .map(e -> ApiResponse.json(200, Views.endpoint(e)))
                .orElseThrow(() -> ApiException.notFound("no such endpoint"));
    }
}
