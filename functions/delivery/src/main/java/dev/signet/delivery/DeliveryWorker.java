package dev.signet.delivery;

import dev.signet.core.aws.AwsClients;
import dev.signet.core.cache.TtlCache;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.credentials.CredentialScope;
import dev.signet.core.credentials.CredentialVault;
import dev.signet.core.credentials.Envelope;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.EventIntake;
import dev.signet.core.event.Progress;
import dev.signet.core.event.WebhookBody;
import dev.signet.core.ids.Randomness;
import dev.signet.core.log.Log;
import dev.signet.core.retry.AttemptOutcome;
import dev.signet.core.retry.RetryDecision;
import dev.signet.core.retry.RetryPolicy;
import dev.signet.core.signing.Signer;
import dev.signet.core.stats.StatsTally;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.ConfigStore;
import dev.signet.core.store.EventStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers one queued job. The message says which attempt is next and when ({@link Progress}); the
 * worker loads the endpoint (cached) and opens the credentials sealed in it (cached too), signs the
 * exact body, sends it, and settles:
 * decide what the attempt comes to ({@link Settlement}), record it, report it, then act on the
 * endpoint and the queue. Only a sent request spends an attempt: a message received before it is due,
 * while a store is down, or while its endpoint is at its concurrency cap is hidden again unchanged.
 *
 * <p>Every path ends in one of: acknowledged (delivered, or ended with the reason logged), replaced by
 * the message of its next step (the next attempt, or a record still to write), moved to the
 * dead-letter queue (reset so a redrive starts a fresh run), or hidden until it is due. The attempt is
 * recorded before the message is settled; a record that cannot be written travels in the next message
 * and is written, under the same id, when that message is received.
 */
public final class DeliveryWorker {
    /** {@link Invocation#deadlineNanos()} of an invocation without a deadline. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /**
     * Time kept back from the deadline for recording the attempt and settling the message: a few
     * store retries and two queue calls, each bounded by the AWS clients' call timeout.
     */
    static final Duration SETTLE_MARGIN = Duration.ofSeconds(12);

    /** A received queue message, as far as delivery cares. */
    public record Message(String messageId, String receiptHandle, String body, int receiveCount) {
    }

    /**
     * The invocation a message arrived in.
     *
     * @param deadlineNanos {@link System#nanoTime()} by which its messages must be settled, or {@link #NO_DEADLINE}
     * @param startedAt     when it started; SQS received its messages at most the batching window before
     * @param stats         the endpoint statistics its attempts add up to, written once after the batch
     */
    public record Invocation(long deadlineNanos, Instant startedAt, StatsTally stats) {
        public Invocation(long deadlineNanos, Instant startedAt) {
            this(deadlineNanos, startedAt, new StatsTally());
        }

        public static Invocation unbounded(Instant startedAt) {
            return new Invocation(NO_DEADLINE, startedAt);
        }

        Duration remaining() {
            return deadlineNanos == NO_DEADLINE ? Duration.ofDays(1) : Duration.ofNanos(deadlineNanos - System.nanoTime());
        }
    }

    /** What the worker talks to; {@code vault} opens the credentials sealed in endpoint items. */
    public record Ports(ConfigStore endpoints, CredentialVault vault, EventStore events, DeliveryQueue queue,
                        WebhookSender sender, Clock clock) {
        public Ports {
            Objects.requireNonNull(endpoints, "endpoints");
            Objects.requireNonNull(vault, "vault");
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
     * @param maxReceives       the deliveries queue's maxReceiveCount: a message received half that often is
     *                          replaced by a fresh copy instead of hidden again, so only a message that
     *                          fails every invocation ever reaches it
     * @param batchingWindow    how long the event source may hold a received batch before invoking
     * @param storeBackoff      the first wait before retrying a failed store call (doubling)
     */
    public record Settings(RetryPolicy retryPolicy, Duration cacheTtl, String version, int perEndpoint,
                           Duration autoDisableAfter, String operatorWorkspace, int maxReceives, Duration batchingWindow,
                           Duration storeBackoff) {
        public Settings {
            Objects.requireNonNull(retryPolicy, "retryPolicy");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(batchingWindow, "batchingWindow");
            Objects.requireNonNull(storeBackoff, "storeBackoff");
            if (maxReceives < 2) {
                throw new IllegalArgumentException("maxReceives must be at least 2");
            }
        }

        /** The deployment's settings, with the jitter drawn from the project's random source. */
        public static Settings from(SignetConfig config) {
            return new Settings(new RetryPolicy(config.retrySchedule(), config.maxAttempts(), () -> Randomness.secure().nextDouble()),
                    config.cacheTtl(), config.version(), EndpointConcurrency.DEFAULT_PER_ENDPOINT,
                    config.autoDisableAfter(), config.operatorWorkspace(), config.maxReceives(), config.batchingWindow(),
                    Duration.ofMillis(100));
        }
    }

    private final Ports ports;
    private final RetryPolicy policy;
    private final String userAgent;
    private final TtlCache<String, Endpoint> endpointCache;
    /**
     * Opened credentials, by where they were opened and what was stored: a changed item (a rotation)
     * is a new key, and a sealed value is never used outside the scope it opened in.
     */
    private final TtlCache<Sealed, EndpointCredentials> credentialCache;
    private final EndpointAdmission admission;
    private final AttemptRecorder recorder;
    private final EndpointReactions reactions;
    private final MessageSteps steps;

    public DeliveryWorker(Ports ports, Settings settings) {
        this.ports = ports;
        this.policy = settings.retryPolicy();
        this.userAgent = "Signet/" + settings.version();
        this.endpointCache = new TtlCache<>(settings.cacheTtl(), 10_000, ports.clock());
        this.credentialCache = new TtlCache<>(settings.cacheTtl(), 10_000, ports.clock());
        this.admission = new EndpointAdmission(new EndpointConcurrency(settings.perEndpoint()), ports.endpoints(),
                settings.cacheTtl(), ports.clock());
        this.recorder = new AttemptRecorder(ports.events(), settings.storeBackoff(), AwsClients.CALL_TIMEOUT);
        this.reactions = new EndpointReactions(ports.endpoints(),
                AutoDisable.of(ports.endpoints(), settings.autoDisableAfter(), settings.cacheTtl(), ports.clock()),
                OperatorNotifications.to(settings.operatorWorkspace(),
                        new EventIntake(ports.endpoints(), ports.events(), ports.queue(), ports.clock(), "delivery")));
        this.steps = new MessageSteps(ports.queue(), ports.clock(), settings.maxReceives(), settings.batchingWindow());
    }

    /** @return true if the event source should delete the message (the delivery is over and recorded) */
    public boolean process(Message message) {
        return process(message, Invocation.unbounded(ports.clock().instant()));
    }

    /**
     * @return true if the event source should delete the message (the delivery is over and recorded);
     *         false when it stays (hidden until due) or is already gone (replaced by its next step, or
     *         moved to the dead-letter queue), so it is reported as a batch item failure and left alone
     */
    public boolean process(Message message, Invocation invocation) {
        DeliveryJob job;
        try {
            job = DeliveryJob.fromMessageBody(message.body());
        } catch (IllegalArgumentException e) {
            Log.warn("unreadable delivery message moved to the dead-letter queue",
                    f -> f.put("message_id", message.messageId()).put("reason", e.getMessage()));
            return steps.deadLetter(new MessageSteps.Received(message, null, invocation.startedAt()), message.body());
        }
        Delivery d = new Delivery(new MessageSteps.Received(message, job, invocation.startedAt()), ports.clock().instant(), invocation);
        if (job.progress().pending() != null) {
            return resume(d);
        }
        return d.due() ? attempt(d) : steps.hide(d.received(), d.untilDue());
    }

    /** One received message being handled: when this receive started, in which invocation. */
    private record Delivery(MessageSteps.Received received, Instant started, Invocation invocation) {
        DeliveryJob job() {
            return received.job();
        }

        String endpointKey() {
            return job().workspaceId() + "/" + job().endpointId();
        }

        boolean due() {
            return !job().progress().dueAt().isAfter(started);
        }

        Duration untilDue() {
            return Duration.between(started, job().progress().dueAt());
        }

        /** What the invocation can still spend on settling, keeping back half the margin for the queue. */
        Duration timeToRecord() {
            return invocation.remaining().minus(SETTLE_MARGIN.dividedBy(2));
        }

        Delivery with(Progress next) {
            return new Delivery(received.with(next), started, invocation);
        }
    }

    /** A message carrying a record that could not be written: write it, then carry on. */
    private boolean resume(Delivery d) {
        Progress p = d.job().progress();
        if (!recorder.write(p.pending(), d::timeToRecord)) {
            return steps.hideAfterStoreFailure(d.received());
        }
        return switch (p.after()) {
            case FINISH -> true;
            case DEAD_LETTER -> steps.deadLetter(d.received(), d.job().forRedrive(ports.clock().instant()).toMessageBody());
            case ATTEMPT -> {
                Delivery next = d.with(p.recorded());
                yield next.due() ? attempt(next) : steps.hide(next.received(), next.untilDue());
            }
        };
    }

    /** Stored credentials as opened for one scope: the key of {@link #credentialCache}. */
    private record Sealed(CredentialScope scope, StoredCredentials stored) {
    }

    /** What the delivery log says when an endpoint's sealed credentials do not open (the details are in the log, for the operator). */
    static final String UNREADABLE_CREDENTIALS = "Signet could not read this endpoint's credentials; the operator can see why in the delivery function's log";

    private Optional<Endpoint> endpoint(Delivery d) {
        return endpointCache.get(d.endpointKey(), k -> ports.endpoints().get(d.job().workspaceId(), d.job().endpointId()));
    }

    /** The endpoint's credentials, opened once per cache TTL for the scope the job was queued in. */
    private EndpointCredentials credentials(DeliveryJob job, Endpoint endpoint) {
        Sealed sealed = new Sealed(new CredentialScope(job.workspaceId(), job.generation(), job.endpointId()), endpoint.credentials());
        return credentialCache.get(sealed, s -> Optional.of(ports.vault().open(s.scope(), s.stored()))).orElseThrow();
    }

    private boolean attempt(Delivery d) {
        DeliveryJob job = d.job();
        Optional<Endpoint> endpoint;
        EndpointCredentials credentials = null;
        try {
            endpoint = endpoint(d);
            if (endpoint.isPresent() && endpoint.get().enabled()) {
                try {
                    credentials = credentials(job, endpoint.get());
                } catch (Envelope.UnreadableException e) {
                    if (!endpoint.get().credentials().isLegacy()) {
                        throw e;
                    }
                    // A 0.1 endpoint whose own secret is gone was most likely just migrated: its item holds them now.
                    endpointCache.invalidate(d.endpointKey());
                    endpoint = endpoint(d);
                    if (endpoint.isPresent() && endpoint.get().enabled()) {
                        credentials = credentials(job, endpoint.get());
                    }
                }
            }
        } catch (Envelope.UnreadableException e) {
            // Not a passing failure: a failed attempt with the reason, retried and in the end dead-lettered
            // (redrivable once the operator has restored the key), never a silent loss.
            Log.error("endpoint credentials could not be opened", e, f -> f.put("workspace_id", job.workspaceId())
                    .put("endpoint_id", job.endpointId()).put("reason", e.getMessage()));
            return settle(d, new AttemptOutcome.Failed(null), Settlement.Sent.notSent(UNREADABLE_CREDENTIALS));
        } catch (RuntimeException e) {
            Log.warn("endpoint could not be read; delivery postponed", f -> f.put("workspace_id", job.workspaceId())
                    .put("endpoint_id", job.endpointId()).put("error_type", e.getClass().getName())
                    .put("reason", e instanceof CredentialVault.LegacySecretUnavailableException ? e.getMessage() : null));
            return steps.hideAfterStoreFailure(d.received());
        }
        if (endpoint.isEmpty()) {
            return settle(d, new AttemptOutcome.Abandoned("endpoint was deleted"), Settlement.Sent.NOTHING);
        }
        Endpoint ep = endpoint.get();
        if (!ep.enabled()) {
            String why = ep.disabledReason() == null ? "endpoint is disabled" : "endpoint is disabled: " + ep.disabledReason();
            return settle(d, new AttemptOutcome.Abandoned(why), Settlement.Sent.NOTHING);
        }
        Duration timeout = Duration.ofSeconds(ep.timeoutSeconds());
        EndpointAdmission.Decision admitted = admission.admit(job.workspaceId(), job.endpointId(), timeout,
                timeout.plus(SETTLE_MARGIN), d.invocation().remaining().minus(timeout).minus(SETTLE_MARGIN),
                d.received().message().receiveCount());
        if (admitted.ticket() == null) {
            return defer(d, admitted.deferFor());
        }
        WebhookSender.Result result;
        try (EndpointAdmission.Ticket ticket = admitted.ticket()) {
            ticket.sending();
            result = send(job, ep, credentials, timeout);
            ticket.answered(result.durationMs());
        }
        return switch (result) {
            // A target the URL guard refuses stays refused: abandon rather than retry into an internal host.
            case WebhookSender.Failure f -> settle(d,
                    f.blocked() ? new AttemptOutcome.Abandoned(f.error()) : new AttemptOutcome.Failed(null),
                    new Settlement.Sent(null, null, f.error(), f.durationMs(), ep.url()));
            case WebhookSender.Response r -> settle(d, outcomeOf(r),
                    new Settlement.Sent(r.status(), snippet(r.body()), r.status() / 100 == 2 ? null : "receiver answered HTTP " + r.status(),
                            r.durationMs(), ep.url()));
        };
    }

    /**
     * Signs exactly the bytes sent, just before sending them (after any wait for a permit). Anything
     * that goes wrong building or sending the request is a failed attempt with its reason, never an
     * escaped exception that would leave the delivery unlogged.
     */
    private WebhookSender.Result send(DeliveryJob job, Endpoint ep, EndpointCredentials credentials, Duration timeout) {
        long started = System.nanoTime();
        try {
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
        } catch (RuntimeException e) {
            return new WebhookSender.Failure("request could not be sent: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), (System.nanoTime() - started) / 1_000_000);
        }
    }

    /**
     * Hands the message back, unattempted, for about as long as its endpoint takes to answer: the
     * endpoint already has as many requests in flight as it may (EndpointAdmission). Nothing is spent;
     * the next receive tries again, and the invocation is not held up waiting.
     */
    private boolean defer(Delivery d, Duration delay) {
        Log.info("delivery deferred: endpoint busy", f -> f.put("workspace_id", d.job().workspaceId())
                .put("endpoint_id", d.job().endpointId()).put("event_id", d.job().eventId())
                .put("delay_ms", delay.toMillis()));
        return steps.hide(d.received(), delay);
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

    /**
     * Decide, record, report, act: the attempt is in the log (or, if the log cannot be written, in the
     * delivery's next message) before the received message is settled.
     */
    private boolean settle(Delivery d, AttemptOutcome outcome, Settlement.Sent sent) {
        Instant now = ports.clock().instant();
        Settlement s = Settlement.decide(policy, d.job(), d.started(), now, outcome, sent);
        boolean recorded = recorder.write(s.record(), d::timeToRecord);
        AttemptRecorder.report(s, d.job().progress(), sent, recorded);
        d.invocation().stats().add(s.record(), sent.requestMade());
        Runnable invalidate = () -> endpointCache.invalidate(d.endpointKey());
        reactions.observe(d.job(), outcome, now, invalidate);
        switch (s.decision()) {
            case RetryDecision.DisableEndpoint gone -> reactions.gone(d.job(), now, invalidate);
            case RetryDecision.DeadLetter dead -> reactions.deadLettered(d.job(), s.record().responseStatus(), s.record().error(), now);
            default -> {
                // nothing happens to the endpoint
            }
        }
        return steps.afterAttempt(d.received(), s.decision(), s.record(), recorded, now);
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
