package dev.signet.core.store;

import dev.signet.core.event.DeliveryJob;

import java.time.Duration;
import java.util.List;

/** The deliveries queue (SQS). */
public interface DeliveryQueue {
    /**
     * Queues every job durably, or throws: no job is silently dropped. {@link NotQueuedException}
     * names the jobs that were not queued when the others were.
     */
    void enqueue(List<DeliveryJob> jobs);

    /** Hides a received message for {@code delay} before it is received again. */
    void postpone(String receiptHandle, Duration delay);
}
