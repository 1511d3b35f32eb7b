package dev.signet.testkit;

import dev.signet.core.event.DeliveryJob;
import dev.signet.core.store.DeliveryQueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deliveries queue and its dead-letter queue in memory: what was queued, which received message
 * was hidden for how long, replaced by which successor, or dead-lettered. It refuses visibility the way
 * SQS does: a received message may stay hidden at most 12 h counted from its receive
 * ({@link #received}), and a longer request is refused, not clamped.
 */
public final class InMemoryDeliveryQueue implements DeliveryQueue {
    private final Faults faults = new Faults();
    private final Clock clock;
    private final List<DeliveryJob> enqueued = new CopyOnWriteArrayList<>();
    private final Map<String, Duration> postponed = new ConcurrentHashMap<>();
    private final Map<String, Instant> receivedAt = new ConcurrentHashMap<>();
    private final List<Successor> successors = new CopyOnWriteArrayList<>();
    private final List<String> deadLettered = new CopyOnWriteArrayList<>();
    private final List<String> deleted = new CopyOnWriteArrayList<>();

    /** A message that replaced a received one. */
    public record Successor(String replacedReceipt, DeliveryJob job, Duration delay) {
    }

    private final AtomicInteger enqueuesInFlight = new AtomicInteger();
    private final AtomicInteger mostEnqueuesInFlight = new AtomicInteger();

    public InMemoryDeliveryQueue(Clock clock) {
        this.clock = clock;
    }

    /** Failures to inject into this port's operations (by method name). */
    public Faults faults() {
        return faults;
    }

    /** Notes that the message with this receipt handle was received now (SQS's 12 h visibility limit counts from here). */
    public InMemoryDeliveryQueue received(String receiptHandle) {
        receivedAt.put(receiptHandle, clock.instant());
        return this;
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
        Instant received = receivedAt.get(receiptHandle);
        if (delay.compareTo(MAX_VISIBILITY) > 0
                || received != null && Duration.between(received, clock.instant()).plus(delay).compareTo(MAX_VISIBILITY) > 0) {
            throw new VisibilityRefused("Total VisibilityTimeout for the message is beyond the limit [43200 seconds]", null);
        }
        postponed.put(receiptHandle, delay);
    }

    @Override
    public void replace(String receiptHandle, DeliveryJob next, Duration delay) {
        faults.check("replace");
        if (delay.isNegative() || delay.compareTo(MAX_SEND_DELAY) > 0) {
            throw new IllegalArgumentException("SQS sends with a delay of 0 to 900 s, not " + delay);
        }
        successors.add(new Successor(receiptHandle, next, delay));
        deleted.add(receiptHandle);
    }

    @Override
    public void deadLetter(String receiptHandle, String body) {
        faults.check("deadLetter");
        deadLettered.add(body);
        deleted.add(receiptHandle);
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

    /** Receipt handle → the visibility delay asked for (the last accepted one). */
    public Map<String, Duration> postponed() {
        return Map.copyOf(postponed);
    }

    /** Messages sent to carry on a delivery, oldest first. */
    public List<Successor> successors() {
        return List.copyOf(successors);
    }

    /** Bodies sent to the dead-letter queue, oldest first. */
    public List<String> deadLettered() {
        return List.copyOf(deadLettered);
    }

    /** Receipt handles of received messages deleted by a replace or a dead-letter move. */
    public List<String> deleted() {
        return List.copyOf(deleted);
    }
}
