package dev.signet.core.store;

import dev.signet.core.event.DeliveryJob;

import java.time.Duration;
import java.util.List;

/** The deliveries queue and its dead-letter queue (SQS). */
public interface DeliveryQueue {
    /** The longest delay a new message can be sent with (SQS DelaySeconds). */
    Duration MAX_SEND_DELAY = Duration.ofMinutes(15);
    /** The longest a received message can stay hidden, counted from its receive (SQS ChangeMessageVisibility). */
    Duration MAX_VISIBILITY = Duration.ofHours(12);

    /**
     * Queues every job durably, or throws: no job is silently dropped. {@link NotQueuedException}
     * names the jobs that were not queued when the others were.
     */
    void enqueue(List<DeliveryJob> jobs);

    /**
     * Hides a received message for {@code delay} before it is received again.
     *
     * @throws VisibilityRefused if the queue refuses that long (SQS: beyond 12 h from the receive)
     */
    void postpone(String receiptHandle, Duration delay);

    /**
     * The delivery goes on as {@code next}, a new message visible after {@code delay} (at most
     * {@link #MAX_SEND_DELAY}); then the received message is deleted. If sending fails nothing changed
     * and this throws.
     */
    void replace(String receiptHandle, DeliveryJob next, Duration delay);

    /**
     * Puts {@code body} (a delivery reset for redrive, or a message that is not a delivery) on the
     * dead-letter queue, then deletes the received message. If sending fails nothing changed and this throws.
     */
    void deadLetter(String receiptHandle, String body);

    /** The queue refused a visibility change as too long; a shorter one may still be accepted. */
    final class VisibilityRefused extends RuntimeException {
        public VisibilityRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
