package dev.signet.core.workspace;

import java.time.Instant;

/** A short-lived portal session for one workspace; stored only as the hash of its token. */
public record Session(String workspaceId, Instant expiresAt) {
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
