package dev.signet.local;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.event.Attempt;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.SecretStore;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The delivery function's ports (endpoint config, secrets, attempt log, queue) held in memory, for
 * measuring and testing the delivery core without AWS: the throughput benchmark and the per-endpoint
 * concurrency tests. Each port answers only the calls delivery makes; anything else throws, so a
 * port that grows a method elsewhere never silently does nothing here.
 */
public final class InProcessPorts {
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, EndpointCredentials> secrets = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicLong attemptCount = new AtomicLong();
    private final Map<String, Duration> postponed = new ConcurrentHashMap<>();
    private final AtomicLong endpointReads = new AtomicLong();
    private final AtomicLong secretReads = new AtomicLong();
    private volatile boolean keepAttempts = true;

    public void put(Endpoint endpoint, EndpointCredentials credentials) {
        endpoints.put(endpoint.workspaceId() + "/" + endpoint.id(), endpoint);
        secrets.put(endpoint.secretId(), credentials);
    }

    /** Counts attempts without keeping them (long benchmark runs). */
    public InProcessPorts discardAttempts() {
        keepAttempts = false;
        return this;
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public long attemptCount() {
        return attemptCount.get();
    }

    /** Receipt handle → the visibility delay delivery asked for. */
    public Map<String, Duration> postponed() {
        return Map.copyOf(postponed);
    }

    public long endpointReads() {
        return endpointReads.get();
    }

    public long secretReads() {
        return secretReads.get();
    }

    public EndpointStore endpointStore() {
        return port(EndpointStore.class, Map.of(
                "get", a -> {
                    endpointReads.incrementAndGet();
                    return Optional.ofNullable(endpoints.get(a[0] + "/" + a[1]));
                },
                "setEnabled", a -> {
                    Endpoint e = endpoints.get(a[0] + "/" + a[1]);
                    return e != null;
                },
                "disableIfEnabled", a -> {
                    Endpoint e = endpoints.get(a[0] + "/" + a[1]);
                    return e != null && e.enabled();
                }));
    }

    public SecretStore secretStore() {
        return port(SecretStore.class, Map.of("get", a -> {
            secretReads.incrementAndGet();
            return Optional.ofNullable(secrets.get((String) a[0]));
        }));
    }

    public EventStore eventStore() {
        return port(EventStore.class, Map.of("putAttempt", a -> {
            attemptCount.incrementAndGet();
            if (keepAttempts) {
                attempts.add((Attempt) a[0]);
            }
            return null;
        }));
    }

    public DeliveryQueue deliveryQueue() {
        return port(DeliveryQueue.class, Map.of("postpone", a -> {
            postponed.put((String) a[0], (Duration) a[1]);
            return null;
        }));
    }

    private static <T> T port(Class<T> type, Map<String, Function<Object[], Object>> answers) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (self, method, args) -> {
            Function<Object[], Object> answer = answers.get(method.getName());
            if (answer != null) {
                return answer.apply(args == null ? new Object[0] : args);
            }
            return switch (method.getName()) {
                case "toString" -> "in-process " + type.getSimpleName();
                case "hashCode" -> System.identityHashCode(self);
                case "equals" -> self == args[0];
                default -> throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName()
                        + " is not something delivery does");
            };
        });
        return type.cast(proxy);
    }
}
