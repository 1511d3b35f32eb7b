package dev.signet.delivery;

import dev.signet.core.cache.TtlCache;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.EventIntake;
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
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers one queued job: loads the endpoint and its secrets (cached), signs the exact body, sends
 * it, and settles: decide what the attempt comes to ({@link Settlement}), record it, report it, then
 * act on the queue and the endpoint. Every path ends in one of: acknowledged (delivered, or abandoned
 * with the reason logged), hidden until its next attempt, or left for SQS to move to the dead-letter
 * queue. The attempt is recorded before the message is settled; if that write fails the message
 * simply comes back and is tried again.
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

    /** What the worker talks to. */
    public record Ports(EndpointStore endpoints, SecretStore secrets, EventStore events, DeliveryQueue queue,
                        WebhookSender sender, Clock clock) {
        public Ports {
            Objects.requireNonNull(endpoints, "endpoints");
            Objects.requireNonNull(secrets, "secrets");
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(queue, "queue");
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(clock, "clock");
        }
    }

    /**
     * How it behaves.
     *
     * @param perEndpoint       the most requests this instance has in flight to one endpoint
     * @param autoDisableAfter  disable an endpoint whose every attempt failed this long; null: never
     * @param operatorWorkspace the workspace told about dead-lettered deliveries and disabled endpoints; null: none
     */
    public record Settings(RetryPolicy retryPolicy, Duration cacheTtl, String version, int perEndpoint,
                           Duration autoDisableAfter, String operatorWorkspace) {
        public Settings {
            Objects.requireNonNull(retryPolicy, "retryPolicy");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            Objects.requireNonNull(version, "version");
        }

        /** The deployment's settings, with the jitter drawn from the project's random source. */
        public static Settings from(SignetConfig config) {
            return new Settings(new RetryPolicy(config.retrySchedule(), config.maxAttempts(), () -> Randomness.secure().nextDouble()),
                    config.cacheTtl(), config.version(), EndpointConcurrency.DEFAULT_PER_ENDPOINT,
                    config.autoDisableAfter(), config.operatorWorkspace());
        }

        public Settings withPerEndpoint(int cap) {
            return new Settings(retryPolicy, cacheTtl, version, cap, autoDisableAfter, operatorWorkspace);
        }
    }

    private final Ports ports;
    private final RetryPolicy policy;
    private final String userAgent;
    private final TtlCache<String, Endpoint> endpointCache;
    private final TtlCache<String, EndpointCredentials> secretCache;
    private final EndpointConcurrency concurrency;
    private final AutoDisable autoDisable;
    private final OperatorNotifications notifications;

    public DeliveryWorker(Ports ports, Settings settings) {
        this.ports = ports;
        this.policy = settings.retryPolicy();
        this.userAgent = "Signet/" + settings.version();
        this.endpointCache = new TtlCache<>(settings.cacheTtl(), 10_000, ports.clock());
        this.secretCache = new TtlCache<>(settings.cacheTtl(), 10_000, ports.clock());
        this.concurrency = new EndpointConcurrency(settings.perEndpoint());
        this.autoDisable = AutoDisable.of(ports.endpoints(), settings.autoDisableAfter(), settings.cacheTtl(), ports.clock());
        this.notifications = OperatorNotifications.to(settings.operatorWorkspace(),
                new EventIntake(ports.endpoints(), ports.events(), ports.queue(), ports.clock(), "delivery"));
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
        Delivery d = new Delivery(message, job, Math.max(1, message.receiveCount()), ports.clock().instant());
        Optional<Endpoint> endpoint = endpointCache.get(d.endpointKey(), k -> ports.endpoints().get(job.workspaceId(), job.endpointId()));
        if (endpoint.isEmpty()) {
            return settle(d, new AttemptOutcome.Abandoned("endpoint was deleted"), Settlement.Sent.NOTHING);
        }
        Endpoint ep = endpoint.get();
        if (!ep.enabled()) {
            String why = ep.disabledReason() == null ? "endpoint is disabled" : "endpoint is disabled: " + ep.disabledReason();
            return settle(d, new AttemptOutcome.Abandoned(why), Settlement.Sent.NOTHING);
        }
        Optional<EndpointCredentials> credentials = secretCache.get(ep.secretId(), ports.secrets()::get);
        if (credentials.isEmpty()) {
            return settle(d, new AttemptOutcome.Failed(null), Settlement.Sent.notSent("endpoint signing secret is missing"));
        }
        Duration timeout = Duration.ofSeconds(ep.timeoutSeconds());
        EndpointConcurrency.Permit permit = permit(d, timeout, deadlineNanos);
        if (permit == null) {
            if (d.attempt() >= policy.maxAttempts()) {
                // Deferring would use up the last receive and dead-letter the delivery unlogged: log it instead.
                return settle(d, new AttemptOutcome.Failed(null),
                        Settlement.Sent.notSent("not sent: endpoint at its concurrency cap until the invocation's deadline"));
            }
            defer(d);
            return false;
        }
        WebhookSender.Result result;
        try (permit) {
            result = send(job, ep, credentials.get(), timeout);
        }
        return switch (result) {
            // A target the URL guard refuses stays refused: abandon rather than retry into an internal host.
            case WebhookSender.Failure f -> settle(d,
                    f.blocked() ? new AttemptOutcome.Abandoned(f.error()) : new AttemptOutcome.Failed(null),
                    new Settlement.Sent(null, null, f.error(), f.durationMs()));
            case WebhookSender.Response r -> settle(d, outcomeOf(r),
                    new Settlement.Sent(r.status(), snippet(r.body()), r.status() / 100 == 2 ? null : "receiver answered HTTP " + r.status(),
                            r.durationMs()));
        };
    }

    /** One message being delivered: the job, which attempt this is, and when it started. */
    private record Delivery(Message message, DeliveryJob job, int attempt, Instant started) {
        String endpointKey() {
            return job.workspaceId() + "/" + job.endpointId();
        }
    }

    /** Signs exactly the bytes sent, just before sending them (after any wait for a permit). */
    private WebhookSender.Result send(DeliveryJob job, Endpoint ep, EndpointCredentials credentials, Duration timeout) {
        byte[] body = WebhookBody.of(job, ep.payloadFormat());
        Instant now = ports.clock().instant();
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
        return ports.sender().send(ep.method(), ep.url(), headers, body, timeout);
    }

    /**
     * A permit for the job's endpoint, waiting at most until the send (its timeout) and the settling
     * ({@link #SETTLE_MARGIN}) still fit before the deadline; null when it did not come in time.
     */
    private EndpointConcurrency.Permit permit(Delivery d, Duration timeout, long deadlineNanos) {
        Duration maxWait = deadlineNanos == NO_DEADLINE ? MAX_WAIT
                : Duration.ofNanos(deadlineNanos - System.nanoTime()).minus(timeout).minus(SETTLE_MARGIN);
        try {
            return concurrency.tryAcquire(d.endpointKey(), maxWait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : maxWait);
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
    private void defer(Delivery d) {
        Duration delay = DEFER_DELAY.plusMillis(Randomness.secure().nextInt(5_000));
        Log.warn("delivery deferred: endpoint at its concurrency cap", f -> f.put("workspace_id", d.job().workspaceId())
                .put("endpoint_id", d.job().endpointId()).put("event_id", d.job().eventId())
                .put("cap", concurrency.perEndpoint()).put("delay_ms", delay.toMillis()));
        postpone(d.message(), delay);
    }

    static AttemptOutcome outcomeOf(WebhookSender.Response r) {
        if (r.status() >= 200 && r.status() < 300) {
            return new AttemptOutcome.Succeeded();
        }
        if (r.status() == 410) {
            return new AttemptOutcome.Gone();
        }
        Duration retryAfter = (r.status() == 429 || r.status() == 503) ? RetryAfter.parse(r.header("retry-after")) : null;
        return new AttemptOutcome.Failed(retryAfter);
    }

    /** Decide, record, report, act: the attempt is in the log before the message is settled. */
    private boolean settle(Delivery d, AttemptOutcome outcome, Settlement.Sent sent) {
        Instant now = ports.clock().instant();
        Settlement s = Settlement.decide(policy, d.job(), Ids.newId("att_", d.started()), d.attempt(), d.started(), now, outcome, sent);
        ports.events().putAttempt(s.record());
        report(d, s, sent);
        return act(d, s, outcome, now);
    }

    /**
     * One line per attempt, both the log record and its EMF metrics. No workspace or endpoint
     * dimension (unbounded): they are properties, queryable in Logs Insights.
     */
    private static void report(Delivery d, Settlement s, Settlement.Sent sent) {
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
                .put("event_id", a.eventId()).put("attempt", a.attempt()).put("outcome", s.status().wire())
                .put("status", a.responseStatus())
                .put("duration_ms", a.durationMs()), "delivery", values));
    }

    /** Settles the message and reacts on the endpoint; true when the message may be deleted. */
    private boolean act(Delivery d, Settlement s, AttemptOutcome outcome, Instant now) {
        DeliveryJob job = d.job();
        // A disabled endpoint's queued deliveries are then abandoned (logged) as they come, instead of using up attempts.
        autoDisable.observe(job.workspaceId(), job.endpointId(), outcome, now)
                .ifPresent(reason -> disable(job, reason, "failing", now));
        return switch (s.decision()) {
            case RetryDecision.Done done -> true;
            case RetryDecision.Abandon abandon -> true;
            case RetryDecision.DisableEndpoint gone -> {
                disable(job, "receiver answered 410 Gone", "gone", now);
                yield true;
            }
            case RetryDecision.RetryAfter retry -> {
                postpone(d.message(), retry.delay());
                yield false;
            }
            case RetryDecision.DeadLetter dead -> {
                // Visible again at once: the next receive exceeds maxReceiveCount and SQS dead-letters it.
                postpone(d.message(), Duration.ZERO);
                Attempt a = s.record();
                notifications.deadLettered(job.workspaceId(), job.endpointId(), job.eventId(), job.eventType(), d.attempt(),
                        a.responseStatus(), a.error(), now);
                yield false;
            }
        };
    }

    /**
     * Disables the job's endpoint; of concurrent deliveries doing so, only the one that actually
     * disabled it counts the metric and notifies the operator.
     */
    private void disable(DeliveryJob job, String reason, String cause, Instant now) {
        boolean disabled = ports.endpoints().disableIfEnabled(job.workspaceId(), job.endpointId(), reason, now);
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
            ports.queue().postpone(message.receiptHandle(), delay);
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
