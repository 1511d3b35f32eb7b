package dev.signet.testkit;

import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.store.SecretStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Endpoint credentials and plain secrets in memory; counts reads, so tests can pin what a cache saves. */
public final class InMemorySecretStore implements SecretStore {
    private final Faults faults = new Faults();
    private final Map<String, EndpointCredentials> credentials = new ConcurrentHashMap<>();
    private final Map<String, String> strings = new ConcurrentHashMap<>();
    private final AtomicLong reads = new AtomicLong();

    public long reads() {
        return reads.get();
    }

    public InMemorySecretStore putString(String secretId, String value) {
        strings.put(secretId, value);
        return this;
    }

    /** Failures to inject into this port's operations (by method name). */
    public Faults faults() {
        return faults;
    }

    @Override
    public void put(String secretId, EndpointCredentials value) {
        faults.check("put");
        credentials.put(secretId, value);
    }

    @Override
    public Optional<EndpointCredentials> get(String secretId) {
        faults.check("get");
        reads.incrementAndGet();
        return Optional.ofNullable(credentials.get(secretId));
    }

    @Override
    public void delete(String secretId) {
        credentials.remove(secretId);
    }

    @Override
    public String readString(String secretId) {
        reads.incrementAndGet();
        String v = strings.get(secretId);
        if (v == null) {
            throw new IllegalStateException("no secret " + secretId);
        }
        return v;
    }
}
