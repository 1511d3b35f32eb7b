package dev.signet.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.json.Json;
import dev.signet.core.signing.WebhookSecret;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * {@code POST …/endpoints/{ep}/secret} (openapi.yaml, endpoints): a new signing secret becomes current and the
 * previous one keeps signing alongside it for the grace period, so receivers can switch without
 * rejecting a single request. Session only: the admin key never sets a secret.
 */
final class SecretRotationApi {
    static final int DEFAULT_GRACE_SECONDS = 86_400;
    static final int MAX_GRACE_SECONDS = 7 * 86_400;

    private final EndpointChanges changes;
    private final WorkspaceApi workspaces;
    private final Clock clock;

    SecretRotationApi(EndpointChanges changes, WorkspaceApi workspaces, Clock clock) {
        this.changes = changes;
        this.workspaces = workspaces;
        this.clock = clock;
    }

    ApiResponse rotate(Principal p, String workspaceId, String endpointId, ApiRequest request) {
        Access.session(p, workspaceId);
        Body body = Body.of(request, Set.of("secret", "grace_seconds"));
        WebhookSecret given = EndpointInput.secret(body);
        int grace = body.integer("grace_seconds", DEFAULT_GRACE_SECONDS, 0, MAX_GRACE_SECONDS);
        Endpoint current = changes.existing(workspaceId, endpointId);

        WebhookSecret secret = given != null ? given : WebhookSecret.generate();
        String generation = workspaces.generation(p, workspaceId);
        EndpointCredentials after = changes.credentials(current, generation).rotate(secret, clock.instant(), Duration.ofSeconds(grace));
        changes.save(current, current.withCredentials(changes.seal(current, generation, after, secret.hint()), current.authType(),
                changes.updatedAt(current)));

        ObjectNode view = Json.object().put("secret_hint", secret.hint());
        if (given == null) {
            view.put("secret", secret.reveal()); // shown this once
        }
        return ApiResponse.json(200, view);
    }
}
