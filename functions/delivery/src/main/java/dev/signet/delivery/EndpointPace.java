package dev.signet.delivery;

import dev.signet.core.store.EndpointSlots.Pace;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How fast each endpoint answers, as this instance measures it: a moving average of its requests'
 * durations, and the requests in flight now. An endpoint is slow once its average reaches a second,
 * or as soon as one of its requests has been in flight that long (no need to wait for a hanging
 * receiver to time out to know it hangs); fast after a few quick answers; unknown before.
 */
final class EndpointPace {
    static final Duration SLOW = Duration.ofSeconds(1);
    static final int SAMPLES_TO_KNOW = 3;
    private static final double WEIGHT = 0.3;
    private static final int MAX_ENDPOINTS = 10_000;

    private static final class State {
        volatile double averageMs;
        volatile int samples;
        final ConcurrentLinkedQueue<Long> inFlight = new ConcurrentLinkedQueue<>();
    }

    private final Map<String, State> states = new ConcurrentHashMap<>();

    private State state(String endpoint) {
        if (states.size() >= MAX_ENDPOINTS && !states.containsKey(endpoint)) {
            states.clear(); // forgetting is safe: an unknown endpoint is treated with care until measured again
        }
        return states.computeIfAbsent(endpoint, k -> new State());
    }

    /** A request to {@code endpoint} starts now; give the token to {@link #finished}. */
    Long started(String endpoint) {
        Long token = System.nanoTime();
        state(endpoint).inFlight.add(token);
        return token;
    }

    void finished(String endpoint, Long token, long durationMs) {
        State s = state(endpoint);
        s.inFlight.remove(token);
        synchronized (s) {
            s.averageMs = s.samples == 0 ? durationMs : WEIGHT * durationMs + (1 - WEIGHT) * s.averageMs;
            s.samples++;
        }
    }

    /** What this instance knows: SLOW, FAST, or null while it has not measured enough. */
    Pace measured(String endpoint) {
        State s = states.get(endpoint);
        if (s == null) {
            return null;
        }
        Long oldest = s.inFlight.peek();
        if (oldest != null && System.nanoTime() - oldest >= SLOW.toNanos()) {
            return Pace.SLOW;
        }
        if (s.samples >= SAMPLES_TO_KNOW) {
            return s.averageMs >= SLOW.toMillis() ? Pace.SLOW : Pace.FAST;
        }
        return null;
    }

    /** How long the oldest request now in flight has been, or null if none is. */
    Duration longestInFlight(String endpoint) {
        State s = states.get(endpoint);
        Long oldest = s == null ? null : s.inFlight.peek();
        return oldest == null ? null : Duration.ofNanos(System.nanoTime() - oldest);
    }

    /** The average request duration measured, or null before any answer. */
    Duration average(String endpoint) {
        State s = states.get(endpoint);
        return s == null || s.samples == 0 ? null : Duration.ofMillis(Math.round(s.averageMs));
    }
}
