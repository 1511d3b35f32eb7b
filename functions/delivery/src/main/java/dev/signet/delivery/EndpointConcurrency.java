package dev.signet.delivery;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps the requests this function instance has in flight to one endpoint. A delivery over the cap
 * waits (a parked virtual thread costs nothing) for up to the time its invocation can spare; the
 * caller defers it when that runs out. Other endpoints' deliveries never wait on this endpoint's
 * permits, so a slow receiver holds up only its own deliveries.
 *
 * <p>A gate exists only while some delivery holds or waits for it, so the map stays as small as the
 * number of endpoints being delivered to at this moment.
 */
final class EndpointConcurrency {
    /** Per endpoint, per function instance: half a batch of 10, so a hanging receiver costs at most two rounds of its timeout. */
    static final int DEFAULT_PER_ENDPOINT = 5;

    private static final class Gate {
        final Semaphore permits;
        int users; // changed only inside ConcurrentHashMap.compute, which is atomic per key

        Gate(int permits) {
            this.permits = new Semaphore(permits, true);
        }
    }

    /** A held permit; {@link #close()} gives it back. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<String, Gate> gates = new ConcurrentHashMap<>();
    private final int perEndpoint;

    EndpointConcurrency(int perEndpoint) {
        if (perEndpoint < 1) {
            throw new IllegalArgumentException("the per-endpoint concurrency cap must be at least 1");
        }
        this.perEndpoint = perEndpoint;
    }

    int perEndpoint() {
        return perEndpoint;
    }

    /** A permit for {@code endpoint}, or null if none was free within {@code maxWait}. */
    Permit tryAcquire(String endpoint, Duration maxWait) throws InterruptedException {
        Gate gate = gates.compute(endpoint, (k, g) -> {
            Gate x = g == null ? new Gate(perEndpoint) : g;
            x.users++;
            return x;
        });
        boolean acquired = false;
        try {
            acquired = maxWait.isPositive()
                    ? gate.permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)
                    : gate.permits.tryAcquire();
        } finally {
            if (!acquired) {
                leave(endpoint);
            }
        }
        if (!acquired) {
            return null;
        }
        return () -> {
            gate.permits.release();
            leave(endpoint);
        };
    }

    /** Endpoints with a delivery holding or waiting for a permit (for tests). */
    int activeEndpoints() {
        return gates.size();
    }

    private void leave(String endpoint) {
        gates.compute(endpoint, (k, g) -> g == null || --g.users == 0 ? null : g);
    }
}
