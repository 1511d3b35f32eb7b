package dev.signet.delivery;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.log.Log;
import dev.signet.core.retry.RetryPolicy;
import dev.signet.core.retry.RetrySchedule;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.testkit.InMemoryStores;
import dev.signet.testkit.MutableClock;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The delivery core on in-process ports: a worker with in-memory stores, a scripted receiver and a
 * clock that moves only when told, so every path of a delivery runs in microseconds and without
 * timing. Jitter is fixed at its midpoint, so a retry delay is exactly the schedule's.
 */
final class DeliveryFixture {
    static final Instant T0 = Instant.parse("2026-04-17T18:22:00Z");
    static final String WS = "casterly";
    /** The generation of {@link #WS} the fixture's jobs are queued for. */
    static final String GENERATION = "01KQ8ZJ2V7G4M6XTB3C5N9PD0R";
    static final String SCHEDULE = "5s,5m,30m";
    static final int MAX_RECEIVES = 20;
    static final WebhookSecret SECRET = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    final MutableClock clock = new MutableClock(T0);
    final InMemoryStores stores = InMemoryStores.create(clock);
    final ScriptedReceiver receiver = new ScriptedReceiver();
    final RetryPolicy policy = new RetryPolicy(RetrySchedule.parse(SCHEDULE), 4, () -> 0.5);
    final DeliveryWorker worker;
    private int events;
    private int messages;

    DeliveryFixture() {
        this(null);
    }

    /** @param operatorWorkspace the workspace told about dead letters and disabled endpoints, or null */
    DeliveryFixture(String operatorWorkspace) {
        this(operatorWorkspace, Duration.ofDays(5));
    }

    DeliveryFixture(String operatorWorkspace, Duration autoDisableAfter) {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        if (operatorWorkspace != null) {
            // Notifications are events of the operator's workspace, kept under its generation: it must exist.
            stores.config().create(dev.signet.core.workspace.Workspace.create(operatorWorkspace, "Operators", T0, T0), "ops-ingest-key-hash");
        }
        worker = new DeliveryWorker(
                new DeliveryWorker.Ports(stores.config(), stores.vault(clock), stores.events(), stores.queue(), receiver, clock),
                new DeliveryWorker.Settings(policy, Duration.ofSeconds(30), "test", 5, autoDisableAfter, operatorWorkspace,
                        MAX_RECEIVES, Duration.ZERO, Duration.ofMillis(1)));
    }

    /** An enabled endpoint of {@link #WS} with its signing secret and a bearer token sealed in it. */
    Endpoint endpoint(String id) {
        return endpoint(WS, id, true, null);
    }

    Endpoint endpoint(String workspace, String id, boolean enabled, String disabledReason) {
        Endpoint e = new Endpoint(id, workspace, "https://hooks.example.com/" + id, "", "POST", Endpoint.PayloadFormat.ENVELOPE,
                List.of(), Map.of("x-team", "billing"), Endpoint.AuthType.BEARER, 15, enabled, disabledReason,
                stores.seal(workspace, GENERATION, id, EndpointCredentials.of(SECRET, new OutboundAuth.Bearer("token-1"))), T0, T0);
        stores.config().put(e);
        return e;
    }

    /** The queue message of a new event for {@code endpointId}, making its {@code attempt}th attempt, now due. */
    DeliveryWorker.Message message(String endpointId, int attempt) {
        return message(WS, endpointId, attempt);
    }

    DeliveryWorker.Message message(String workspace, String endpointId, int attempt) {
        int n = ++events;
        DeliveryJob job = new DeliveryJob(workspace, GENERATION, endpointId, "evt_" + n, "order.completed", T0, "order", "ord_" + n,
                "{\"order_id\":\"ord_" + n + "\",\"total_cents\":12900}");
        Progress p = job.progress();
        return message(job.with(new Progress(p.run(), p.trigger(), attempt, clock.instant(), null, Progress.After.ATTEMPT)), 1);
    }

    /** A message carrying {@code job}, received for the {@code receiveCount}th time. */
    DeliveryWorker.Message message(DeliveryJob job, int receiveCount) {
        int n = ++messages;
        return new DeliveryWorker.Message("msg-" + n, "receipt-" + n, job.toMessageBody(), receiveCount);
    }

    /** The same message received again (as SQS would hand it back): a new receipt, one more receive. */
    DeliveryWorker.Message again(DeliveryWorker.Message m) {
        int n = ++messages;
        return new DeliveryWorker.Message(m.messageId(), "receipt-" + n, m.body(), m.receiveCount() + 1);
    }

    /** Receives {@code m} now and hands it to the worker in an invocation without a deadline. */
    boolean deliver(DeliveryWorker.Message m) {
        stores.queue().received(m.receiptHandle());
        return worker.process(m, DeliveryWorker.Invocation.unbounded(clock.instant()));
    }

    /** The job a message carries. */
    static DeliveryJob job(DeliveryWorker.Message m) {
        return DeliveryJob.fromMessageBody(m.body());
    }

    /** The message that replaced {@code m}, as the next receive will see it. */
    DeliveryWorker.Message successorOf(DeliveryWorker.Message m) {
        var s = stores.queue().successors().stream().filter(x -> x.replacedReceipt().equals(m.receiptHandle())).findFirst()
                .orElseThrow(() -> new AssertionError("message " + m.receiptHandle() + " was not replaced"));
        return message(s.job(), 1);
    }

    List<Attempt> attempts() {
        return stores.events().attempts();
    }

    Attempt onlyAttempt() {
        List<Attempt> all = attempts();
        if (all.size() != 1) {
            throw new AssertionError("expected one attempt, got " + all);
        }
        return all.getFirst();
    }

    /** The visibility delay asked for the message, or null if it was not postponed. */
    Duration postponed(DeliveryWorker.Message m) {
        return stores.queue().postponed().get(m.receiptHandle());
    }
}
