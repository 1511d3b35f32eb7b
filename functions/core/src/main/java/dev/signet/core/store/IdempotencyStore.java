package dev.signet.core.store;

import java.util.Optional;

/**
 * Remembers the response to a request made with an {@code Idempotency-Key} for 24 hours. The key is
 * claimed with a conditional write before any work, so two concurrent requests cannot both do it.
 */
public interface IdempotencyStore {
    /** The outcome of trying to claim a key. */
    sealed interface Claim {
        /** This caller owns the key and must {@link #complete} or {@link #release} it. */
        record Claimed() implements Claim {
        }

        /** A request with this key already finished; replay its response. */
        record Replay(int status, String body, String requestHash) implements Claim {
        }

        /** A request with this key is still running. */
        record InProgress() implements Claim {
        }
    }

    /** Claims {@code keyHash} for a request whose body hashes to {@code requestHash}. */
    Claim claim(String workspaceId, String keyHash, String requestHash);

    void complete(String workspaceId, String keyHash, int status, String body);

    /** Gives the key back after a failure, so the client's retry can proceed. */
    void release(String workspaceId, String keyHash);
}
