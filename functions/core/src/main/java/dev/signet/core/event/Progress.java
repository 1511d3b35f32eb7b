package dev.signet.core.event;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Where one delivery stands, carried in its queue message: which run it belongs to, which attempt it
 * makes next and not before when, and an attempt record that could not be written yet. Signet counts
 * attempts here, not by SQS receives: a receive that sends no request (a throttled invocation, a crash
 * before settling, a store outage, a busy endpoint) leaves the message as it was, so it spends nothing.
 * A message is immutable, so each step of a delivery (the next attempt, a record to write later) is a
 * new message that replaces the received one.
 *
 * @param run     the run this attempt belongs to: {@link #FIRST_RUN} for the event's own fan-out, a new
 *                token for every retry, recover, test or redrive; with the attempt number it names the
 *                attempt, so a repeated attempt writes its record under the same id
 * @param attempt the attempt to make next, counted within the run (1-based)
 * @param dueAt   not before this time (for attempt 1, when the run was queued)
 * @param pending an attempt record still to write before anything else, or null
 * @param after   what to do once {@code pending} is written
 */
public record Progress(String run, Trigger trigger, int attempt, Instant dueAt, Attempt pending, After after) {
    public static final String FIRST_RUN = "e";

    public Progress {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(dueAt, "dueAt");
        Objects.requireNonNull(after, "after");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
    }

    /** The first attempt of a run queued at {@code queuedAt}. */
    public static Progress start(String run, Trigger trigger, Instant queuedAt) {
        return new Progress(run, trigger, 1, queuedAt, null, After.ATTEMPT);
    }

    /** The next attempt, due at {@code due}; {@code unwritten} is this attempt's record if it could not be written. */
    public Progress next(Instant due, Attempt unwritten) {
        return new Progress(run, trigger, attempt + 1, due, unwritten, After.ATTEMPT);
    }

    /** Nothing more to attempt: only {@code unwritten} to record, then {@code after}. */
    public Progress ending(Attempt unwritten, After after) {
        return new Progress(run, trigger, attempt, dueAt, unwritten, after);
    }

    /** With the pending record written. */
    public Progress recorded() {
        return new Progress(run, trigger, attempt, dueAt, null, After.ATTEMPT);
    }

    /** Why a run of attempts was started; the delivery log shows it with each attempt. */
    public enum Trigger {
        EVENT, RETRY, RECOVER, TEST, REDRIVE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Trigger fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** What a message carrying a pending record does once the record is written. */
    public enum After {
        /** Make attempt {@link #attempt()} when it is due. */
        ATTEMPT,
        /** The delivery is over (delivered, abandoned, or its endpoint disabled). */
        FINISH,
        /** The last attempt failed: move the delivery to the dead-letter queue. */
        DEAD_LETTER;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static After fromWire(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }
}
