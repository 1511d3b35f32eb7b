package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Attempt.DeliveryStatus;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.ids.Ids;
import dev.signet.core.retry.AttemptOutcome;
import dev.signet.core.retry.RetryDecision;
import dev.signet.core.retry.RetryPolicy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What one attempt comes to, decided before anything is written: the retry decision, where the
 * delivery stands, and the attempt record the log will show. A pure function of the attempt and its
 * outcome; {@link DeliveryWorker} then records, reports and acts on it.
 *
 * <p>The record's id is derived from the run and the attempt number (and dated by when the attempt
 * was due), not drawn at random: an attempt repeated because its message came back (a crash after the
 * request, a lost acknowledgement) writes its record under the same id, so the log shows each attempt
 * number once.
 */
record Settlement(RetryDecision decision, Attempt record) {

    /** What was sent, where to, and what came back; every field may be null when no request was made. */
    record Sent(Integer status, String body, String error, long durationMs, String url) {
        static final Sent NOTHING = new Sent(null, null, null, 0, null);

        static Sent notSent(String why) {
            return new Sent(null, null, why, 0, null);
        }

        boolean requestMade() {
            return status != null || durationMs > 0;
        }
    }

    static Settlement decide(RetryPolicy policy, DeliveryJob job, Instant started, Instant now, AttemptOutcome outcome, Sent sent) {
        Progress p = job.progress();
        RetryDecision decision = policy.decide(p.attempt(), outcome);
        DeliveryStatus status = switch (decision) {
            case RetryDecision.Done d -> DeliveryStatus.SUCCEEDED;
            case RetryDecision.RetryAfter r -> DeliveryStatus.PENDING;
            case RetryDecision.DeadLetter d -> DeliveryStatus.DEAD_LETTERED;
            case RetryDecision.DisableEndpoint d -> DeliveryStatus.FAILED;
            case RetryDecision.Abandon a -> DeliveryStatus.FAILED;
        };
        String error = switch (outcome) {
            case AttemptOutcome.Abandoned a -> a.reason();
            case AttemptOutcome.Gone g -> "receiver answered 410 Gone; endpoint disabled";
            default -> sent.error();
        };
        Instant next = decision instanceof RetryDecision.RetryAfter r ? now.plus(r.delay()) : null;
        Attempt record = new Attempt(attemptId(job), job.workspaceId(), job.generation(), job.eventId(), job.endpointId(), p.attempt(),
                status == DeliveryStatus.SUCCEEDED ? Attempt.Status.SUCCEEDED : Attempt.Status.FAILED,
                sent.status(), sent.body(), error, sent.durationMs(), started.truncatedTo(ChronoUnit.SECONDS), next, status,
                sent.url(), p.trigger());
        return new Settlement(decision, record);
    }

    /** The id of the job's next attempt: the same however often that attempt is made. */
    static String attemptId(DeliveryJob job) {
        Progress p = job.progress();
        return Ids.derived("att_", p.dueAt(), job.eventId() + "/" + job.endpointId() + "/" + p.run() + "/" + p.attempt());
    }

    DeliveryStatus status() {
        return record.deliveryStatus();
    }
}
