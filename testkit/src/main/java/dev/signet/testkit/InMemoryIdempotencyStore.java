package dev.signet.testkit;

import dev.signet.core.store.IdempotencyStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Idempotency-Key records in memory, claimed atomically like the conditional write they stand for. */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private record Record(String requestHash, Integer status, String body) {
    }

    private final Map<String, Record> records = new ConcurrentHashMap<>();

    @Override
    public Claim claim(String workspaceId, String keyHash, String requestHash) {
        Record mine = new Record(requestHash, null, null);
        Record existing = records.putIfAbsent(workspaceId + "/" + keyHash, mine);
        if (existing == null) {
            return new Claim.Claimed();
        }
        return existing.status() == null ? new Claim.InProgress()
                : new Claim.Replay(existing.status(), existing.body(), existing.requestHash());
    }

    @Override
    public void complete(String workspaceId, String keyHash, int status, String body) {
        records.computeIfPresent(workspaceId + "/" + keyHash, (k, r) -> new Record(r.requestHash(), status, body));
    }

    @Override
    public void release(String workspaceId, String keyHash) {
        records.remove(workspaceId + "/" + keyHash);
    }
}
