package dev.signet.testkit;

import dev.signet.core.store.IdempotencyStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Idempotency-Key records in memory, claimed atomically like the conditional writes they stand for.
 * A record is running (claimed), released (failed, checkpoint kept) or done (response kept); the
 * 24-hour window and the lock of a crashed request do not pass here.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private enum State { RUNNING, RELEASED, DONE }

    private record Record(String requestHash, State state, String checkpoint, int status, String body) {
    }

    private final Map<String, Record> records = new ConcurrentHashMap<>();

    @Override
    public synchronized Claim claim(String workspaceId, String generation, String keyHash, String requestHash, String checkpoint) {
        String key = workspaceId + "/" + generation + "/" + keyHash;
        Record existing = records.get(key);
        if (existing == null) {
            records.put(key, new Record(requestHash, State.RUNNING, checkpoint, 0, null));
            return new Claim.Claimed(checkpoint);
        }
        if (!existing.requestHash().equals(requestHash)) {
            return new Claim.Conflict();
        }
        return switch (existing.state()) {
            case DONE -> new Claim.Replay(existing.status(), existing.body());
            case RUNNING -> new Claim.InProgress();
            case RELEASED -> {
                records.put(key, new Record(requestHash, State.RUNNING, existing.checkpoint(), 0, null));
                yield new Claim.Claimed(existing.checkpoint());
            }
        };
    }

    @Override
    public synchronized void complete(String workspaceId, String generation, String keyHash, int status, String body) {
        records.computeIfPresent(workspaceId + "/" + generation + "/" + keyHash, (k, r) -> new Record(r.requestHash(), State.DONE, null, status, body));
    }

    @Override
    public synchronized void release(String workspaceId, String generation, String keyHash, String checkpoint) {
        records.computeIfPresent(workspaceId + "/" + generation + "/" + keyHash, (k, r) -> new Record(r.requestHash(), State.RELEASED, checkpoint, 0, null));
    }
}
