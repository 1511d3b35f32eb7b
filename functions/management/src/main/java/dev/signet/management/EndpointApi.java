package dev.signet.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.credentials.CredentialScope;
import dev.signet.core.credentials.CredentialVault;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.ids.Ids;
import dev.signet.core.json.Json;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.urlguard.UrlGuard;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Endpoints of a workspace: create, list, get, update, delete. */
final class EndpointApi {
    static final int MAX_ENDPOINTS_PER_WORKSPACE = 50;

    private final EndpointStore endpoints;
    private final CredentialVault vault;
    private final WorkspaceApi workspaces;
    private final UrlGuard guard;
    private final Clock clock;
    private final EndpointChanges changes;

    EndpointApi(EndpointStore endpoints, CredentialVault vault, WorkspaceApi workspaces, UrlGuard guard, Clock clock) {
        this.endpoints = endpoints;
        this.vault = vault;
        this.workspaces = workspaces;
        this.guard = guard;
        this.clock = clock;
        this.changes = new EndpointChanges(endpoints, vault, clock);
    }

    /**
     * Creates an endpoint: its credentials sealed into its item, written in one transaction with its
     * workspace's endpoint count, so nothing is ever left half-made.
     */
    ApiResponse create(Principal p, String workspaceId, ApiRequest request) {
        Access.session(p, workspaceId);
        String generation = workspaces.generation(p, workspaceId);
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
            throw atLimit(); // answered early, without generating a secret; the write below is what holds the limit
        }

        WebhookSecret secret = given != null ? given : WebhookSecret.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String id = Ids.newId("ep_", clock.instant());
        String sealed = vault.seal(new CredentialScope(workspaceId, generation, id), EndpointCredentials.of(secret, auth));
        Endpoint endpoint = new Endpoint(id, workspaceId, url, description, method, format, eventTypes, headers,
                auth.type(), timeout, enabled, null, StoredCredentials.sealed(sealed, secret.hint()), now, now);
        EndpointStore.Creation created = endpoints.create(endpoint, generation, MAX_ENDPOINTS_PER_WORKSPACE);
        if (created != EndpointStore.Creation.CREATED) {
            throw created == EndpointStore.Creation.AT_LIMIT ? atLimit() : Access.notFound();
        }
        ObjectNode view = Views.endpoint(endpoint);
        if (given == null) {
            view.put("secret", secret.reveal()); // shown this once
        }
        return ApiResponse.json(201, view);
    }

    private static ApiException atLimit() {
        return ApiException.invalid(null, "a workspace has at most " + MAX_ENDPOINTS_PER_WORKSPACE + " endpoints; delete one first");
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

    /**
     * Changes the fields present in the body; each is read exactly as create reads it and replaces the
     * stored value whole (headers and event_types included). A session may change every field but the
     * secret (that is rotation's job); the admin key only {@code enabled}. Everything is validated
     * before anything is written.
     */
    ApiResponse update(Principal p, String workspaceId, String endpointId, ApiRequest request) {
        Access.adminOrSession(p, workspaceId);
        Body body = Body.of(request, EndpointInput.PATCH_FIELDS);
        if (p instanceof Principal.Admin) {
            for (String field : EndpointInput.PATCH_FIELDS.stream().sorted().toList()) {
                if (present(body, field) && !field.equals("enabled")) {
                    throw ApiException.forbidden(field, "the admin key may change only \"enabled\"; \"" + field
                            + "\" is changed by the workspace in a portal session");
                }
            }
        }
        if (present(body, "secret")) {
            throw ApiException.invalid("secret", "secret cannot be changed with PATCH; rotate it with POST /v1/workspaces/"
                    + workspaceId + "/endpoints/" + endpointId + "/secret");
        }
        Endpoint current = changes.existing(workspaceId, endpointId);
        if (p instanceof Principal.SessionToken && present(body, "enabled") && EndpointInput.enabled(body)
                && current.disabledBy() == Endpoint.DisabledBy.OPERATOR) {
            // The operator's stop holds until the operator lifts it: the workspace cannot override it.
            throw ApiException.forbidden("enabled", "this endpoint was disabled by the operator; only the admin key can enable it again");
        }

        String url = present(body, "url") ? EndpointInput.url(body, guard) : current.url();
        String description = present(body, "description") ? EndpointInput.description(body) : current.description();
        String method = present(body, "method") ? EndpointInput.method(body) : current.method();
        Endpoint.PayloadFormat format = present(body, "payload_format") ? EndpointInput.payloadFormat(body) : current.payloadFormat();
        var eventTypes = present(body, "event_types") ? EndpointInput.eventTypes(body) : current.eventTypes();
        var headers = present(body, "headers") ? EndpointInput.headers(body) : current.headers();
        OutboundAuth auth = present(body, "auth") ? EndpointInput.auth(body) : null;
        int timeout = present(body, "timeout_seconds") ? EndpointInput.timeoutSeconds(body) : current.timeoutSeconds();
        boolean enabled = current.enabled();
        String disabledReason = current.disabledReason();
        if (present(body, "enabled")) {
            boolean wanted = EndpointInput.enabled(body);
            if (wanted) {
                disabledReason = null;
            } else if (current.enabled()) {
                // Disabling an endpoint that is already disabled keeps the reason it stopped.
                disabledReason = p instanceof Principal.Admin ? Endpoint.DISABLED_BY_OPERATOR : Endpoint.DISABLED_BY_WORKSPACE;
            }
            enabled = wanted;
        }
        if (EndpointInput.PATCH_FIELDS.stream().noneMatch(f -> present(body, f))) {
            return ApiResponse.json(200, Views.endpoint(current));
        }

        StoredCredentials credentials = current.credentials();
        if (auth != null) {
            // A new auth credential keeps the signing secrets: open, change, seal again, in the same one write.
            String generation = workspaces.generation(p, workspaceId);
            credentials = changes.seal(current, generation, changes.credentials(current, generation).withAuth(auth), current.secretHint());
        }
        Endpoint next = new Endpoint(current.id(), workspaceId, url, description, method, format, eventTypes, headers,
                auth == null ? current.authType() : auth.type(), timeout, enabled, disabledReason, credentials,
                current.createdAt(), changes.updatedAt(current));
        changes.save(current, next);
        return ApiResponse.json(200, Views.endpoint(next));
    }

    /**
     * Removes the endpoint, and with its item its credentials. Deliveries still queued for it end at
     * their next attempt, logged as "endpoint was deleted" and not retried.
     */
    ApiResponse delete(Principal p, String workspaceId, String endpointId) {
        Access.adminOrSession(p, workspaceId);
        if (!endpoints.delete(workspaceId, endpointId)) {
            throw EndpointChanges.notFound();
        }
        return ApiResponse.noContent();
    }

    /** Whether the body has the field at all (null included: it then means what it means on create). */
    private static boolean present(Body body, String field) {
        return body.get(field) != null;
    }
}
