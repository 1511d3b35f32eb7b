package dev.signet.core.store;

import dev.signet.core.endpoint.Endpoint;

import java.util.List;
import java.util.Optional;

/**
 * Endpoint configuration, keyed by workspace so one workspace's endpoints are one Query; an endpoint's
 * failing streak lives on its item too, and its request slots (when it is slow) beside it.
 */
public interface EndpointStore extends EndpointFailureStore, EndpointSlots {
    void create(Endpoint endpoint);

    Optional<Endpoint> get(String workspaceId, String endpointId);

    List<Endpoint> list(String workspaceId);

    /**
     * Replaces the endpoint with {@code updated} if it is still as {@code expected} was read (same
     * {@code updated_at} and {@code enabled}); false if it changed or was deleted meanwhile, and then
     * nothing is written.
     */
    boolean replace(Endpoint expected, Endpoint updated);

    /** Sets enabled and the reason; false if the endpoint does not exist. */
    boolean setEnabled(String workspaceId, String endpointId, boolean enabled, String disabledReason, java.time.Instant at);

    /**
     * Disables an enabled endpoint with the reason; false if it does not exist or was already
     * disabled, so of many deliveries that disable one endpoint at once, exactly one gets true.
     */
    boolean disableIfEnabled(String workspaceId, String endpointId, String disabledReason, java.time.Instant at);

    void delete(String workspaceId, String endpointId);
}
