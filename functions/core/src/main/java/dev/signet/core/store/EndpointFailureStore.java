package dev.signet.core.store;

import java.time.Instant;

/**
 * How long an endpoint has been failing without a success in between ({@code failing_since} on the
 * endpoint item), for automatic disabling. Written only when the state changes.
 */
public interface EndpointFailureStore {
    /**
     * Records that the endpoint is failing since {@code at}, unless it already was (then nothing is
     * written); returns the time it has been failing since, or null if the endpoint does not exist.
     */
    Instant failingSince(String workspaceId, String endpointId, Instant at);

    /** Ends the failing streak (a success); nothing is written if there was none. */
    void recovered(String workspaceId, String endpointId);
}
