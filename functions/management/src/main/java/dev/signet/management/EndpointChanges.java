package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.log.Log;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.SecretStore;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Saves a change to an existing endpoint that may touch both of its homes: the credentials (Secrets
 * Manager) first, then the item (DynamoDB), written only if nobody changed it since it was read. If
 * the item write fails or loses that race, the previous credentials are put back, so a request either
 * changes both or neither.
 */
final class EndpointChanges {
    private final EndpointStore endpoints;
    private final SecretStore secrets;
    private final Clock clock;

    EndpointChanges(EndpointStore endpoints, SecretStore secrets, Clock clock) {
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.clock = clock;
    }

    Endpoint existing(String workspaceId, String endpointId) {
        return endpoints.get(workspaceId, endpointId).orElseThrow(EndpointChanges::notFound);
    }

    EndpointCredentials credentials(Endpoint endpoint) {
        return secrets.get(endpoint.secretId())
                .orElseThrow(() -> new IllegalStateException("credentials of an endpoint are missing"));
    }

    /**
     * The {@code updated_at} of a change made now: the current second, or one second past the previous
     * value if the clock has not passed it yet. It strictly increases with every change, which is what
     * makes it usable as the version {@link EndpointStore#replace} checks.
     */
    Instant updatedAt(Endpoint current) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant previous = current.updatedAt().truncatedTo(ChronoUnit.SECONDS);
        return now.isAfter(previous) ? now : previous.plusSeconds(1);
    }

    /**
     * Writes {@code next} in place of {@code current}; when {@code after} is not null, first replaces the
     * credentials {@code before} with it.
     */
    void save(Endpoint current, Endpoint next, EndpointCredentials before, EndpointCredentials after) {
        if (after != null) {
            secrets.put(current.secretId(), after);
        }
        boolean written;
        try {
            written = endpoints.replace(current, next);
        } catch (RuntimeException e) {
            restore(current, before, after);
            throw e;
        }
        if (!written) {
            if (endpoints.get(current.workspaceId(), current.id()).isEmpty()) {
                // Deleted meanwhile: the credentials written above would outlive it, so remove them too.
                if (after != null) {
                    secrets.delete(current.secretId());
                }
                throw notFound();
            }
            restore(current, before, after);
            throw ApiException.conflict("the endpoint was changed by another request at the same time; read it again and retry");
        }
    }

    private void restore(Endpoint endpoint, EndpointCredentials before, EndpointCredentials after) {
        if (after == null) {
            return;
        }
        try {
            secrets.put(endpoint.secretId(), before);
        } catch (RuntimeException e) {
            Log.error("could not restore endpoint credentials after a failed update", e,
                    f -> f.put("workspace_id", endpoint.workspaceId()).put("endpoint_id", endpoint.id()));
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("no such endpoint");
    }
}
