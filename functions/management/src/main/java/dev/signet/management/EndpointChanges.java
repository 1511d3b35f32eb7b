package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.core.credentials.CredentialScope;
import dev.signet.core.credentials.CredentialVault;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.store.EndpointStore;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Changes to an existing endpoint. Its credentials are sealed in its item, so every change, a new
 * secret or auth credential included, is one conditional write that holds only if nobody changed the
 * endpoint since it was read: a request changes all of it or nothing.
 */
final class EndpointChanges {
    private final EndpointStore endpoints;
    private final CredentialVault vault;
    private final Clock clock;

    EndpointChanges(EndpointStore endpoints, CredentialVault vault, Clock clock) {
        this.endpoints = endpoints;
        this.vault = vault;
        this.clock = clock;
    }

    Endpoint existing(String workspaceId, String endpointId) {
        return endpoints.get(workspaceId, endpointId).orElseThrow(EndpointChanges::notFound);
    }

    /** The endpoint's credentials, opened for a change (a 0.1 endpoint's are read from its own secret). */
    EndpointCredentials credentials(Endpoint endpoint, String generation) {
        return vault.open(scope(endpoint, generation), endpoint.credentials());
    }

    /** {@code credentials} sealed into what the endpoint's item stores, showing {@code secretHint}. */
    StoredCredentials seal(Endpoint endpoint, String generation, EndpointCredentials credentials, String secretHint) {
        return StoredCredentials.sealed(vault.seal(scope(endpoint, generation), credentials), secretHint);
    }

    static CredentialScope scope(Endpoint endpoint, String generation) {
        return new CredentialScope(endpoint.workspaceId(), generation, endpoint.id());
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

    /** Writes {@code next} in place of {@code current}: 404 if it was deleted meanwhile, 409 if it was changed. */
    void save(Endpoint current, Endpoint next) {
        if (!endpoints.replace(current, next)) {
            if (endpoints.get(current.workspaceId(), current.id()).isEmpty()) {
                throw notFound();
            }
            throw ApiException.conflict("the endpoint was changed by another request at the same time; read it again and retry");
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("no such endpoint");
    }
}
