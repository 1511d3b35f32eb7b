package dev.signet.core.store;

/**
 * Remembers, for 24 hours, the request made with an {@code Idempotency-Key} and how far it got. The
 * key is claimed with a conditional write before any work, so two concurrent requests cannot both do
 * it; records are kept under the workspace's generation, so a workspace created again with the same id
 * never meets the deleted one's keys; a request that fails leaves a checkpoint (opaque here: what it planned and achieved) from
 * which a retry of the same request carries on, so nothing it already did is done again.
 */
public interface IdempotencyStore {
    /** The outcome of trying to claim a key. */
    sealed interface Claim {
        /**
         * This caller owns the key and must {@link #complete} or {@link #release} it. {@code checkpoint}
         * is the one an earlier attempt of the same request left (it failed or was cut off), else the
         * one offered to {@link #claim}; null only for a record written before checkpoints existed.
         */
        record Claimed(String checkpoint) implements Claim {
        }

        /** A request with this key and the same body already finished; replay its response. */
        record Replay(int status, String body) implements Claim {
        }

        /** A request with this key is still running. */
        record InProgress() implements Claim {
        }

        /** The key was used for a different request (another body or route) within the 24 hours. */
        record Conflict() implements Claim {
        }
    }

    /**
     * Claims {@code keyHash} for a request whose path and body hash to {@code requestHash}: a key not
     * seen for 24 hours is claimed with {@code checkpoint}; a key whose same request failed earlier,
     * or was abandoned by a crashed attempt, is claimed with the checkpoint that attempt left.
     */
    Claim claim(String workspaceId, String generation, String keyHash, String requestHash, String checkpoint);

    /** The request is done: its response is replayed from now on. */
    void complete(String workspaceId, String generation, String keyHash, int status, String body);

    /** The request failed: the key is free for a retry of the same request, which resumes from {@code checkpoint}. */
    void release(String workspaceId, String generation, String keyHash, String checkpoint);
}
