package dev.signet.core.store;

import dev.signet.core.endpoint.Endpoint;

import java.util.List;
import java.util.Optional;

/**
 * Endpoint configuration, keyed by workspace so one workspace's endpoints are one Query; an endpoint's
 * failing streak lives on its item too, and its request slots (when it is slow) beside it. The workspace counts its endpoints, so the limit holds however
 * many creates run at once.
 */
public interface EndpointStore extends EndpointFailureStore, EndpointSlots {
    /**
     * Creates the endpoint if its workspace still has {@code generation} and fewer than {@code limit}
     * endpoints, counting it in the same write.
     */
    Creation create(Endpoint endpoint, String generation, int limit);

    /** What {@link #create} did. */
    enum Creation {
        CREATED,
        /** The workspace already has the most endpoints it may have. */
        AT_LIMIT,
        /** The workspace is gone, or is another generation now. */
        NO_WORKSPACE
    }

    Optional<Endpoint> get(String workspaceId, String endpointId);

    List<Endpoint> list(String workspaceId);

    /** {@link #list}, reading everything written before the call (deleting a workspace needs every endpoint). */
    default List<Endpoint> listConsistent(String workspaceId) {
        return list(workspaceId);
    }

    /**
     * Replaces the endpoint with {@code updated} if it is still as {@code expected} was read (same
     * {@code updated_at}, {@code enabled} and stored credentials); false if it changed or was deleted
     * meanwhile, and then nothing is written.
     */
    boolean replace(Endpoint expected, Endpoint updated);

    /** Sets enabled and the reason; false if the endpoint does not exist. */
    boolean setEnabled(String workspaceId, String endpointId, boolean enabled, String disabledReason, java.time.Instant at);

    /**
     * Disables an enabled endpoint with the reason; false if it does not exist or was already
     * disabled, so of many deliveries that disable one endpoint at once, exactly one gets true.
     */
    boolean disableIfEnabled(String workspaceId, String endpointId, String disabledReason, java.time.Instant at);

    /** Removes the endpoint and takes it off its workspace's count; false if it did not exist. */
    boolean delete(String workspaceId, String endpointId);
}
