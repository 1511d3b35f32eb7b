package dev.signet.testkit;

import dev.signet.core.event.DeliveryJob;
import dev.signet.core.store.DeliveryQueue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The deliveries queue in memory: what was queued, and which received message was hidden for how long. */
public final class InMemoryDeliveryQueue implements DeliveryQueue {
    private final Faults faults = new Faults();
    private final List<DeliveryJob> enqueued = new CopyOnWriteArrayList<>();
    private final Map<String, Duration> postponed = new ConcurrentHashMap<>();
    private final AtomicInteger enqueuesInFlight = new AtomicInteger();
    private final AtomicInteger mostEnqueuesInFlight = new AtomicInteger();

    /** Failures to inject into this port's operations (by method name). */
    public Faults faults() {
        return faults;
    }

    @Override
    public void enqueue(List<DeliveryJob> jobs) {
        mostEnqueuesInFlight.accumulateAndGet(enqueuesInFlight.incrementAndGet(), Math::max);
        try {
            faults.check("enqueue");
            enqueued.addAll(jobs);
        } finally {
            enqueuesInFlight.decrementAndGet();
        }
    }

    @Override
    public void postpone(String receiptHandle, Duration delay) {
        faults.check("postpone");
        postponed.put(receiptHandle, delay);
    }

    /** Calls of {@link #enqueue} running right now (a held call counts). */
    public int enqueuesInFlight() {
        return enqueuesInFlight.get();
    }

    /** The most calls of {@link #enqueue} that ran at the same time. */
    public int mostEnqueuesInFlight() {
        return mostEnqueuesInFlight.get();
    }

    public List<DeliveryJob> enqueued() {
        return List.copyOf(enqueued);
    }

    /** Receipt handle → the visibility delay asked for. */
    public Map<String, Duration> postponed() {
        return Map.copyOf(postponed);
    }
}
