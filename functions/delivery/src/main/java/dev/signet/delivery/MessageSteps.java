package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.log.Log;
import dev.signet.core.retry.RetryDecision;
import dev.signet.core.store.DeliveryQueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What happens to a received message after it was handled: acknowledged, replaced by the message of
 * the delivery's next step, moved to the dead-letter queue, or hidden (unchanged) until it is due.
 * Every method answers whether the event source should delete the received message: true only for an
 * acknowledgement. A replaced or moved message is already deleted (the worker deletes it at once, so it
 * cannot come back beside its successor); one that stays is hidden or left to its visibility timeout.
 */
final class MessageSteps {
    /** Kept below the 12 h SQS allows from the receive, for clock skew and the time a call takes. */
    static final Duration VISIBILITY_MARGIN = Duration.ofMinutes(2);
    static final Duration MAX_STORE_RETRY_DELAY = Duration.ofMinutes(5);

    private final DeliveryQueue queue;
    private final Clock clock;
    private final int refreshAfterReceives;
    private final Duration batchingWindow;

    /**
     * @param maxReceives    the queue's maxReceiveCount; a message received half that often is replaced by
     *                       a fresh copy instead of hidden again
     * @param batchingWindow how long the event source may hold a batch before invoking (it counts
     *                       towards the 12 h a message may stay hidden)
     */
    MessageSteps(DeliveryQueue queue, Clock clock, int maxReceives, Duration batchingWindow) {
        this.queue = queue;
        this.clock = clock;
        this.refreshAfterReceives = maxReceives / 2;
        this.batchingWindow = batchingWindow;
    }

    /** The message's next step after a settled attempt. */
    boolean afterAttempt(Received r, RetryDecision decision, Attempt record, boolean recorded, Instant now) {
        Progress p = r.job().progress();
        Attempt unwritten = recorded ? null : record;
        return switch (decision) {
            case RetryDecision.Done done -> finish(r, recorded, unwritten);
            case RetryDecision.Abandon abandon -> finish(r, recorded, unwritten);
            case RetryDecision.DisableEndpoint gone -> finish(r, recorded, unwritten);
            case RetryDecision.RetryAfter retry -> replace(r, p.next(now.plus(retry.delay()), unwritten), retry.delay());
            case RetryDecision.DeadLetter dead -> recorded
                    ? deadLetter(r, r.job().forRedrive(now).toMessageBody())
                    : replace(r, p.ending(unwritten, Progress.After.DEAD_LETTER), Duration.ZERO);
        };
    }

    /** The delivery is over: acknowledge, or first carry the record that could not be written. */
    private boolean finish(Received r, boolean recorded, Attempt unwritten) {
        if (recorded) {
            return true;
        }
        replace(r, r.job().progress().ending(unwritten, Progress.After.FINISH), Duration.ZERO);
        return false;
    }

    /**
     * The delivery goes on as a new message (visible after {@code delay}, at most SQS's 15 minutes: one
     * due later is hidden again when it comes), and the received one is deleted. If that cannot be
     * sent, the received message is left to come back after its visibility timeout and repeats this
     * step, an attempt under the same id. Either way there is nothing for the event source to delete.
     */
    boolean replace(Received r, Progress next, Duration delay) {
        Duration sendDelay = delay.compareTo(DeliveryQueue.MAX_SEND_DELAY) > 0 ? DeliveryQueue.MAX_SEND_DELAY : delay;
        try {
            queue.replace(r.message().receiptHandle(), r.job().with(next), sendDelay.isNegative() ? Duration.ZERO : sendDelay);
        } catch (RuntimeException e) {
            Log.error("delivery's next step not queued; the message comes back after its visibility timeout", e,
                    f -> f.put("message_id", r.message().messageId()).put("event_id", r.job().eventId()));
        }
        return false;
    }

    /** Moves {@code body} to the dead-letter queue in place of the received message (nothing left to delete). */
    boolean deadLetter(Received r, String body) {
        try {
            queue.deadLetter(r.message().receiptHandle(), body);
        } catch (RuntimeException e) {
            Log.error("could not move a delivery to the dead-letter queue; it comes back after its visibility timeout", e,
                    f -> f.put("message_id", r.message().messageId()));
        }
        return false;
    }

    /** After a store failure, the message waits longer the more often it has come back (5 s doubling, at most 5 min). */
    boolean hideAfterStoreFailure(Received r) {
        int n = Math.min(Math.max(r.message().receiveCount(), 1), 8);
        Duration delay = Duration.ofSeconds(5L << (n - 1));
        return hide(r, delay.compareTo(MAX_STORE_RETRY_DELAY) > 0 ? MAX_STORE_RETRY_DELAY : delay);
    }

    /**
     * Hides the message for {@code delay}, unchanged: nothing is spent. SQS allows 12 h counted from the
     * receive, so the delay is capped by what remains of that (a message due later simply comes back and
     * is hidden again); a delay SQS still refuses is retried shorter. A message received half the queue's
     * maxReceiveCount times is replaced by a fresh copy instead, so a long-postponed delivery never
     * drifts into the dead-letter queue.
     *
     * @return false: nothing for the event source to delete
     */
    boolean hide(Received r, Duration delay) {
        if (r.message().receiveCount() >= refreshAfterReceives) {
            return replace(r, r.job().progress(), delay);
        }
        Instant receivedAt = r.invocationStart().minus(batchingWindow);
        Duration cap = DeliveryQueue.MAX_VISIBILITY.minus(Duration.between(receivedAt, clock.instant())).minus(VISIBILITY_MARGIN);
        Duration wanted = delay.compareTo(cap) > 0 ? cap : delay;
        while (true) {
            Duration asked = wanted.isNegative() ? Duration.ZERO : wanted;
            try {
                queue.postpone(r.message().receiptHandle(), asked);
                return false;
            } catch (DeliveryQueue.VisibilityRefused e) {
                wanted = asked.dividedBy(2);
                Log.warn("visibility refused; asking for less", f -> f.put("message_id", r.message().messageId())
                        .put("refused_s", asked.toSeconds()));
                if (wanted.compareTo(Duration.ofMinutes(1)) < 0) {
                    Log.error("visibility refused down to a minute; the message returns after the queue's visibility timeout", e,
                            f -> f.put("message_id", r.message().messageId()));
                    return false;
                }
            } catch (RuntimeException e) {
                // The message still comes back, after the queue's visibility timeout instead.
                Log.warn("could not reschedule delivery", f -> f.put("message_id", r.message().messageId())
                        .put("error_type", e.getClass().getName()));
                return false;
            }
        }
    }

    /** A received message and its job, and when its invocation started. */
    record Received(DeliveryWorker.Message message, DeliveryJob job, Instant invocationStart) {
        Received with(Progress next) {
            return new Received(message, job.with(next), invocationStart);
        }
    }
}
