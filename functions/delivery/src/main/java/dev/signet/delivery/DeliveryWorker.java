package dev.signet.delivery;

import dev.signet.core.cache.TtlCache;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.Attempt.DeliveryStatus;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.WebhookBody;
import dev.signet.core.ids.Ids;
import dev.signet.core.ids.Randomness;
import dev.signet.core.log.Log;
import dev.signet.core.log.Metrics;
import dev.signet.core.retry.AttemptOutcome;
import dev.signet.core.retry.RetryDecision;
import dev.signet.core.retry.RetryPolicy;
import dev.signet.core.signing.Signer;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.SecretStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers one queued job: loads the endpoint and its secrets (cached), signs the exact body, sends
 * it, writes the attempt, and then settles the message. Every path ends in one of: acknowledged
 * (delivered, or abandoned with the reason logged), hidden until its next attempt, or left for SQS to
 * move to the dead-letter queue. The attempt is written before the message is settled; if that write
 * fails the message simply comes back and is tried again.
 */
public final class DeliveryWorker {
    /** {@link #process(Message, long)} without a deadline: wait for the endpoint's permit as long as it takes. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** Time kept back from the deadline for writing the attempt and settling the message. */
    static final Duration SETTLE_MARGIN = Duration.ofSeconds(5);
    static final Duration DEFER_DELAY = Duration.ofSeconds(5);
    private static final Duration MAX_WAIT = Duration.ofHours(1);

    /** A received queue message, as far as delivery cares. */
    public record Message(String messageId, String receiptHandle, String body, int receiveCount) {
    }

    private final EndpointStore endpoints;
    private final SecretStore secrets;
    private final EventStore events;
    private final DeliveryQueue queue;
    private final WebhookClient client;
    private final RetryPolicy policy;
    private final Clock clock;
    private final String userAgent;
    private final TtlCache<String, Endpoint> endpointCache;
    private final TtlCache<String, EndpointCredentials> secretCache;
    private final EndpointConcurrency concurrency;
    private final AutoDisable autoDisable;
    private final OperatorNotifications notifications;

    public DeliveryWorker(EndpointStore endpoints, SecretStore secrets, EventStore events, DeliveryQueue queue,
                          WebhookClient client, RetryPolicy policy, Clock clock, Duration cacheTtl, String version) {
        this(endpoints, secrets, events, queue, client, policy, clock, cacheTtl, version, EndpointConcurrency.DEFAULT_PER_ENDPOINT);
    }

    /** @param perEndpoint the most requests this instance has in flight to one endpoint */
    public DeliveryWorker(EndpointStore endpoints, SecretStore secrets, EventStore events, DeliveryQueue queue,
                          WebhookClient client, RetryPolicy policy, Clock clock, Duration cacheTtl, String version,
                          int perEndpoint) {
        this(endpoints, secrets, events, queue, client, policy, clock, cacheTtl, version, perEndpoint, AutoDisable.off());
    }

    /** @param autoDisable disables an endpoint whose every attempt has failed for a configured period */
    public DeliveryWorker(EndpointStore endpoints, SecretStore secrets, EventStore events, DeliveryQueue queue,
                          WebhookClient client, RetryPolicy policy, Clock clock, Duration cacheTtl, String version,
                          int perEndpoint, AutoDisable autoDisable) {
        this(endpoints, secrets, events, queue, client, policy, clock, cacheTtl, version, perEndpoint, autoDisable,
                OperatorNotifications.off());
    }

    /** @param notifications tells the operator about dead-lettered deliveries and disabled endpoints */
    public DeliveryWorker(EndpointStore endpoints, SecretStore secrets, EventStore events, DeliveryQueue queue,
                          WebhookClient client, RetryPolicy policy, Clock clock, Duration cacheTtl, String version,
                          int perEndpoint, AutoDisable autoDisable, OperatorNotifications notifications) {
        this.notifications = notifications;
        this.autoDisable = autoDisable;
        this.concurrency = new EndpointConcurrency(perEndpoint);
        this.endpoints = endpoints;
        this.secrets = secrets;
        this.events = events;
        this.queue = queue;
        this.client = client;
        this.policy = policy;
        this.clock = clock;
        this.userAgent = "Signet/" + version;
        this.endpointCache = new TtlCache<>(cacheTtl, 10_000, clock);
        this.secretCache = new TtlCache<>(cacheTtl, 10_000, clock);
    }

    /** @return true if the message is finished with and may be deleted */
    public boolean process(Message message) {
        return process(message, NO_DEADLINE);
    }

    /**
     * @param deadlineNanos {@link System#nanoTime()} by which the invocation must have settled the
     *                      message ({@link #NO_DEADLINE}: none); a delivery that cannot get a permit for
     *                      its endpoint in time is deferred rather than left to time the invocation out
     * @return true if the message is finished with and may be deleted
     */
    public boolean process(Message message, long deadlineNanos) {
        DeliveryJob job;
        try {
            job = DeliveryJob.fromMessageBody(message.body());
        } catch (IllegalArgumentException e) {
            // Not ours to deliver: leave it to reach the dead-letter queue, where an operator sees it.
            Log.warn("unreadable delivery message", f -> f.put("message_id", message.messageId()).put("reason", e.getMessage()));
            return false;
        }
        int attempt = Math.max(1, message.receiveCount());
        Instant started = clock.instant();
        Optional<Endpoint> endpoint = endpointCache.get(job.workspaceId() + "/" + job.endpointId(),
                k -> endpoints.get(job.workspaceId(), job.endpointId()));
        if (endpoint.isEmpty()) {
            return settle(message, job, attempt, started, new AttemptOutcome.Abandoned("endpoint was deleted"), null, 0);
        }
        Endpoint ep = endpoint.get();
        if (!ep.enabled()) {
            String why = ep.disabledReason() == null ? "endpoint is disabled" : "endpoint is disabled: " + ep.disabledReason();
            return settle(message, job, attempt, started, new AttemptOutcome.Abandoned(why), null, 0);
        }
        Optional<EndpointCredentials> credentials = secretCache.get(ep.secretId(), secrets::get);
        if (credentials.isEmpty()) {
            return settle(message, job, attempt, started, new AttemptOutcome.Failed(null),
                    new Sent(null, null, "endpoint signing secret is missing"), 0);
        }
        Duration timeout = Duration.ofSeconds(ep.timeoutSeconds());
        EndpointConcurrency.Permit permit = permit(job, timeout, deadlineNanos);
        if (permit == null) {
            if (attempt >= policy.maxAttempts()) {
                // Deferring would use up the last receive and dead-letter the delivery unlogged: log it instead.
                return settle(message, job, attempt, started, new AttemptOutcome.Failed(null),
                        new Sent(null, null, "not sent: endpoint at its concurrency cap until the invocation's deadline"), 0);
            }
            defer(message, job);
            return false;
        }
        WebhookClient.Result result;
        try (permit) {
            result = send(job, ep, credentials.get(), timeout);
        }
        return switch (result) {
            // A target the URL guard refuses stays refused: abandon rather than retry into an internal host.
            case WebhookClient.Failure f -> settle(message, job, attempt, started,
                    f.blocked() ? new AttemptOutcome.Abandoned(f.error()) : new AttemptOutcome.Failed(null),
                    new Sent(null, null, f.error()), f.durationMs());
            case WebhookClient.Response r -> settle(message, job, attempt, started, outcomeOf(r),
                    new Sent(r.status(), snippet(r.body()), r.status() / 100 == 2 ? null : "receiver answered HTTP " + r.status()),
                    r.durationMs());
        };
    }

    /** Signs exactly the bytes sent, just before sending them (after any wait for a permit). */
    private WebhookClient.Result send(DeliveryJob job, Endpoint ep, EndpointCredentials credentials, Duration timeout) {
        byte[] body = WebhookBody.of(job, ep.payloadFormat());
        Instant now = clock.instant();
        Map<String, String> headers = new LinkedHashMap<>(ep.headers());
        headers.put("content-type", "application/json");
        headers.put("user-agent", userAgent);
        headers.put("webhook-id", job.eventId());
        headers.put("webhook-timestamp", Long.toString(now.getEpochSecond()));
        headers.put("webhook-signature", Signer.signatureHeader(job.eventId(), now.getEpochSecond(), body,
                credentials.secretsValidAt(now)));
        Map.Entry<String, String> auth = credentials.auth().header();
        if (auth != null) {
            headers.put(auth.getKey(), auth.getValue());
        }
        return client.send(ep.method(), ep.url(), headers, body, timeout);
    }

    /**
     * A permit for the job's endpoint, waiting at most until the send (its timeout) and the settling
     * ({@link #SETTLE_MARGIN}) still fit before the deadline; null when it did not come in time.
     */
    private EndpointConcurrency.Permit permit(DeliveryJob job, Duration timeout, long deadlineNanos) {
        Duration maxWait = deadlineNanos == NO_DEADLINE ? MAX_WAIT
                : Duration.ofNanos(deadlineNanos - System.nanoTime()).minus(timeout).minus(SETTLE_MARGIN);
        try {
            return concurrency.tryAcquire(job.workspaceId() + "/" + job.endpointId(), maxWait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Hands the message back for a few seconds without attempting it (no attempt is logged). SQS
     * counts the receive all the same, so this is a safety valve, not a queue: it fires only when one
     * batch holds more than the cap's worth of deliveries to an endpoint that keeps each of them for
     * most of its timeout.
     */
    private void defer(Message message, DeliveryJob job) {
        Duration delay = DEFER_DELAY.plusMillis(Randomness.secure().nextInt(5_000));
        Log.warn("delivery deferred: endpoint at its concurrency cap", f -> f.put("workspace_id", job.workspaceId())
                .put("endpoint_id", job.endpointId()).put("event_id", job.eventId())
                .put("cap", concurrency.perEndpoint()).put("delay_ms", delay.toMillis()));
        postpone(message, delay);
    }

    private record Sent(Integer status, String body, String error) {
    }

    static AttemptOutcome outcomeOf(WebhookClient.Response r) {
        if (r.status() >= 200 && r.status() < 300) {
            return new AttemptOutcome.Succeeded();
        }
        if (r.status() == 410) {
            return new AttemptOutcome.Gone();
        }
        Duration retryAfter = (r.status() == 429 || r.status() == 503) ? RetryAfter.parse(r.header("retry-after")) : null;
        return new AttemptOutcome.Failed(retryAfter);
    }

    private boolean settle(Message message, DeliveryJob job, int attempt, Instant started, AttemptOutcome outcome,
                           Sent sent, long durationMs) {
        RetryDecision decision = policy.decide(attempt, outcome);
        Instant now = clock.instant();
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
            default -> sent == null ? null : sent.error();
        };
        Instant next = decision instanceof RetryDecision.RetryAfter r ? now.plus(r.delay()) : null;
        Attempt record = new Attempt(Ids.newId("att_", started), job.workspaceId(), job.eventId(), job.endpointId(),
                attempt, status == DeliveryStatus.SUCCEEDED ? Attempt.Status.SUCCEEDED : Attempt.Status.FAILED,
                sent == null ? null : sent.status(), sent == null ? null : sent.body(), error, durationMs,
                started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), next, status);
        events.putAttempt(record);
        // One line per attempt, both the log record and its EMF metrics. No workspace or endpoint
        // dimension (unbounded): they are properties, queryable in Logs Insights.
        String counted = switch (status) {
            case SUCCEEDED -> "DeliveriesSucceeded";
            case PENDING -> "AttemptsFailed";
            case DEAD_LETTERED -> "DeliveriesDeadLettered";
            case FAILED -> "DeliveriesFailed";
        };
        Metrics.Value[] values = sent == null ? new Metrics.Value[]{Metrics.count(counted, 1)}
                : new Metrics.Value[]{Metrics.count(counted, 1), Metrics.millis("AttemptLatency", durationMs)};
        Log.info("delivery attempt", f -> Metrics.embed(f.put("workspace_id", job.workspaceId()).put("endpoint_id", job.endpointId())
                .put("event_id", job.eventId()).put("attempt", attempt).put("outcome", status.wire())
                .put("status", record.responseStatus() == null ? null : record.responseStatus())
                .put("duration_ms", durationMs), "delivery", values));
        // Its queued deliveries are then abandoned (logged) as they come, instead of using up attempts.
        autoDisable.observe(job.workspaceId(), job.endpointId(), outcome, now)
                .ifPresent(reason -> disable(job, reason, "failing", now));
        return switch (decision) {
            case RetryDecision.Done d -> true;
            case RetryDecision.Abandon a -> true;
            case RetryDecision.DisableEndpoint d -> {
                disable(job, "receiver answered 410 Gone", "gone", now);
                yield true;
            }
            case RetryDecision.RetryAfter r -> {
                postpone(message, r.delay());
                yield false;
            }
            case RetryDecision.DeadLetter d -> {
                // Visible again at once: the next receive exceeds maxReceiveCount and SQS dead-letters it.
                postpone(message, Duration.ZERO);
                notifications.deadLettered(job.workspaceId(), job.endpointId(), job.eventId(), job.eventType(), attempt,
                        record.responseStatus(), error, now);
                yield false;
            }
        };
    }

    /**
     * Disables the job's endpoint; of concurrent deliveries doing so, only the one that actually
     * disabled it counts the metric and notifies the operator.
     */
    private void disable(DeliveryJob job, String reason, String cause, Instant now) {
        boolean disabled = endpoints.disableIfEnabled(job.workspaceId(), job.endpointId(), reason, now);
        endpointCache.invalidate(job.workspaceId() + "/" + job.endpointId());
        if (!disabled) {
            return;
        }
        Log.warn("endpoint disabled", f -> f.put("workspace_id", job.workspaceId())
                .put("endpoint_id", job.endpointId()).put("reason", reason));
        Metrics.emit("delivery", f -> f.put("workspace_id", job.workspaceId()).put("endpoint_id", job.endpointId())
                .put("reason", cause), Metrics.count("EndpointsDisabled", 1));
        notifications.endpointDisabled(job.workspaceId(), job.endpointId(), reason, now);
    }

    private void postpone(Message message, Duration delay) {
        try {
            queue.postpone(message.receiptHandle(), delay);
        } catch (RuntimeException e) {
            // The message still comes back, after the queue's visibility timeout instead.
            Log.warn("could not reschedule delivery", f -> f.put("message_id", message.messageId()).put("error_type", e.getClass().getName()));
        }
    }

    /** The first 4 KiB of a response body as text, cut on a character boundary. */
    static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        int n = Math.min(body.length, Attempt.MAX_STORED_BODY_BYTES);
        while (n < body.length && n > 0 && (body[n] & 0xC0) == 0x80) {
            n--; // do not split a UTF-8 sequence
        }
        return new String(body, 0, n, StandardCharsets.UTF_8);
    }
}
