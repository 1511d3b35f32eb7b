package dev.signet.testkit;

import dev.signet.core.store.SecretStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Secrets in memory (the admin key, the key-encryption keys); counts reads, so tests can pin what a cache saves. */
public final class InMemorySecretStore implements SecretStore {
    private final Faults faults = new Faults();
    private final Map<String, String> strings = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();

    public long reads() {
        return reads.get();
    }

    public InMemorySecretStore put(String secretId, String value) {
        strings.put(secretId, value);
        return this;
    }

    public void delete(String secretId) {
        strings.remove(secretId);
    }

    /** Failures to inject into this port's operations (by method name: {@code read}). */
    public Faults faults() {
        return faults;
    }

    @Override
    public Optional<String> read(String secretId) {
        faults.check("read");
        reads.incrementAndGet();
        return Optional.ofNullable(strings.get(secretId));
    }
}
