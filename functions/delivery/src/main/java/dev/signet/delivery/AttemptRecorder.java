package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Progress;
import dev.signet.core.log.Log;
import dev.signet.core.log.Metrics;
import dev.signet.core.store.EventStore;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Writes attempt records to the delivery log and reports each attempt as one log line that is also
 * its EMF metrics record. A throttled or failed write is retried with backoff while the invocation can
 * spare the time; a record that still could not be written is not lost: it travels in the delivery's
 * next message (see {@link MessageSteps}).
 */
final class AttemptRecorder {
    private static final int MAX_TRIES = 6;

    private final EventStore events;
    private final Duration firstBackoff;
    private final Duration callTimeout;

    /**
     * @param firstBackoff the wait before the second try (doubling after)
     * @param callTimeout  the longest one write can take (the clients' call timeout): a try is only
     *                     started while it can finish in the time left
     */
    AttemptRecorder(EventStore events, Duration firstBackoff, Duration callTimeout) {
        this.events = events;
        this.firstBackoff = firstBackoff;
        this.callTimeout = callTimeout;
    }

    /**
     * @param timeLeft how long the invocation can still spend on this write (no try starts that could outlast it)
     * @return whether the record is written
     */
    boolean write(Attempt record, Supplier<Duration> timeLeft) {
        Duration backoff = firstBackoff;
        for (int tries = 1; ; tries++) {
            try {
                events.putAttempt(record);
                return true;
            } catch (RuntimeException e) {
                boolean again = tries < MAX_TRIES && timeLeft.get().compareTo(backoff.plus(callTimeout)) > 0;
                int n = tries;
                Log.warn("attempt record not written", f -> f.put("workspace_id", record.workspaceId())
                        .put("event_id", record.eventId()).put("attempt_id", record.id()).put("tries", n)
                        .put("error_type", e.getClass().getName()).put("retrying", again));
                if (!again) {
                    return false;
                }
                pause(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    /**
     * One line per attempt, both the log record and its EMF metrics. No workspace or endpoint
     * dimension (unbounded): they are properties, queryable in Logs Insights.
     */
    static void report(Settlement s, Progress progress, Settlement.Sent sent, boolean recorded) {
        String counted = switch (s.status()) {
            case SUCCEEDED -> "DeliveriesSucceeded";
            case PENDING -> "AttemptsFailed";
            case DEAD_LETTERED -> "DeliveriesDeadLettered";
            case FAILED -> "DeliveriesFailed";
        };
        Metrics.Value[] values = sent.requestMade()
                ? new Metrics.Value[]{Metrics.count(counted, 1), Metrics.millis("AttemptLatency", sent.durationMs())}
                : new Metrics.Value[]{Metrics.count(counted, 1)};
        Attempt a = s.record();
        Log.info("delivery attempt", f -> Metrics.embed(f.put("workspace_id", a.workspaceId()).put("endpoint_id", a.endpointId())
                .put("event_id", a.eventId()).put("attempt", a.attempt()).put("trigger", progress.trigger().wire())
                .put("outcome", s.status().wire()).put("status", a.responseStatus())
                .put("duration_ms", a.durationMs()).put("recorded", recorded), "delivery", values));
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
