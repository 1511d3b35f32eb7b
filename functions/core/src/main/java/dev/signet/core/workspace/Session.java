package dev.signet.core.workspace;

import java.time.Instant;

/**
 * A short-lived portal session for one workspace; stored only as the hash of its token. It is valid
 * while unexpired, while its workspace still has the {@code generation} it was minted for (not deleted,
 * not created again), and while the workspace's session epoch is still {@code epoch} (no revocation since).
 */
public record Session(String workspaceId, String generation, long epoch, Instant expiresAt) {
    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether {@code workspace} is the one this session was minted for, with no revocation since. */
    public boolean belongsTo(Workspace workspace) {
        return workspace.id().equals(workspaceId) && workspace.generation().equals(generation) && workspace.sessionEpoch() == epoch;
    }
}
