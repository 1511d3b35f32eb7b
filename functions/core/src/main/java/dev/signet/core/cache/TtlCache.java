package dev.signet.core.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A small time-bounded cache for configuration a warm function reads again and again (endpoint
 * config, secrets). Absence is cached too, so a deleted endpoint costs one read per TTL, and
 * concurrent misses on one key wait for a single read instead of each making their own. Bounded in
 * size: when full, expired entries are dropped, then everything (cheap, and rare at these sizes).
 */
public final class TtlCache<K, V> {
    private record Entry<V>(Optional<V> value, Instant expiresAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    /** Loads in progress: concurrent misses on one key (a batch for one endpoint) share one read. */
    private final ConcurrentHashMap<K, CompletableFuture<Optional<V>>> loading = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;

    public TtlCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    public Optional<V> get(K key, Function<K, Optional<V>> loader) {
        Instant now = clock.instant();
        Entry<V> e = entries.get(key);
        if (e != null && now.isBefore(e.expiresAt())) {
            return e.value();
        }
        CompletableFuture<Optional<V>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<V>> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException ex) {
                throw ex.getCause() instanceof RuntimeException r ? r : ex;
            }
        }
        try {
            // A load that finished between the first look and the claim has stored its value: use it.
            Entry<V> stored = entries.get(key);
            if (stored != null && clock.instant().isBefore(stored.expiresAt())) {
                mine.complete(stored.value());
                return stored.value();
            }
            Optional<V> value = loader.apply(key);
            store(key, value, now);
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error ex) {
            mine.completeExceptionally(ex);
            throw ex;
        } finally {
            loading.remove(key, mine);
        }
    }

    private void store(K key, Optional<V> value, Instant now) {
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(x -> !now.isBefore(x.expiresAt()));
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
    }

    public void invalidate(K key) {
        entries.remove(key);
    }
}
