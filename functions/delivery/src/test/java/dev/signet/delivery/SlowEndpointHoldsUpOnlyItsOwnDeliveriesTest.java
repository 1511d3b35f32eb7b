package dev.signet.delivery;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.sun.net.httpserver.HttpServer;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.log.Log;
import dev.signet.core.retry.RetryPolicy;
import dev.signet.core.retry.RetrySchedule;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.urlguard.UrlGuard;
import dev.signet.testkit.InMemoryStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries in a batch run concurrently: a receiver that hangs holds up only its own deliveries,
 * gets at most the per-endpoint cap of them at once, and a delivery that cannot get a permit (at once,
 * or within a second while the invocation can spare it) is handed back to the queue, unattempted.
 * The slow receiver here answers only once a condition holds, so nothing depends on timing.
 */
class SlowEndpointHoldsUpOnlyItsOwnDeliveriesTest {
    static final int CAP = 2;

    HttpServer server;
    InMemoryStores ports;
    volatile BooleanSupplier slowMayAnswer = () -> true;
    final AtomicInteger slowInFlight = new AtomicInteger();
    final AtomicInteger slowMaxInFlight = new AtomicInteger();
    final AtomicInteger fastReceived = new AtomicInteger();
    DeliveryHandler delivery;

    @BeforeEach
    void start() throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/fast", ex -> {
            ex.getRequestBody().readAllBytes();
            fastReceived.incrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            ex.getRequestBody().readAllBytes();
            int now = slowInFlight.incrementAndGet();
            slowMaxInFlight.accumulateAndGet(now, Math::max);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!slowMayAnswer.getAsBoolean() && System.nanoTime() < deadline) {
                sleep(10);
            }
            slowInFlight.decrementAndGet();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        ports = InMemoryStores.create();
        ports.config().put(endpoint("ep_fast", "/fast")).put(endpoint("ep_slow", "/slow"));
        DeliveryWorker worker = new DeliveryWorker(
                new DeliveryWorker.Ports(ports.config(), ports.vault(Clock.systemUTC()), ports.events(), ports.queue(),
                        new WebhookClient(UrlGuard.system(true, List.of("127.0.0.0/8"))), Clock.systemUTC()),
                new DeliveryWorker.Settings(new RetryPolicy(RetrySchedule.parse("1s,1s"), 3, () -> 0.5), Duration.ofSeconds(30),
                        "test", CAP, null, null, 100, Duration.ZERO, Duration.ofMillis(1)));
        delivery = new DeliveryHandler(worker, ports.stats(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.stop(0);
        Log.redirect(System.out);
    }

    @Test
    void fastDeliveriesFinishWhileTheSlowReceiverHoldsItsOwnAndItNeverGetsMoreThanTheCap() {
        // The slow receiver answers only after the fast deliveries sent in this batch arrived: were they
        // waiting behind the slow ones, this batch could not finish in time. (Both endpoints are new to
        // this instance, so what is over the cap is put back at once rather than waited for.)
        slowMayAnswer = () -> fastReceived.get() >= CAP;
        SQSEvent batch = batch("ep_slow", 6, "ep_fast", 4);

        long secretReads = ports.secrets().reads();
        SQSBatchResponse response = delivery.handle(batch, deadlineIn(Duration.ofSeconds(60)), "test");

        assertThat(fastReceived.get()).as("the fast deliveries within the cap went out in this invocation").isGreaterThanOrEqualTo(CAP);
        assertThat(slowMaxInFlight.get()).as("requests in flight to the slow endpoint at once").isLessThanOrEqualTo(CAP);
        // Over the cap, a delivery waits at most a second for a permit, then is put back unattempted.
        int deferred = response.getBatchItemFailures().size();
        assertThat(ports.queue().postponed()).hasSize(deferred);
        assertThat(ports.events().attempts()).hasSize(10 - deferred).allSatisfy(a -> assertThat(a.status()).isEqualTo(Attempt.Status.SUCCEEDED));
        assertThat(ports.config().endpointReads()).as("one read per endpoint: concurrent misses share it").isEqualTo(2);
        assertThat(ports.secrets().reads() - secretReads).as("the key-encryption keys, once for every delivery").isEqualTo(1);
    }

    @Test
    void aDeliveryThatCannotGetAPermitAtOnceIsDeferredUnattempted() {
        // 21 s left, a 15 s endpoint timeout and 12 s kept for settling: a delivery cannot wait for a permit.
        // Both permit holders answer once both are in flight and both others were deferred (and stay answering).
        var ready = new java.util.concurrent.atomic.AtomicBoolean();
        slowMayAnswer = () -> ready.get()
                || ports.queue().postponed().size() == 2 && slowInFlight.get() == CAP && !ready.getAndSet(true) || ready.get();
        SQSEvent batch = batch("ep_slow", 4, "ep_fast", 0);

        SQSBatchResponse response = delivery.handle(batch, deadlineIn(Duration.ofSeconds(21)), "test");

        assertThat(response.getBatchItemFailures()).hasSize(2);
        // not measured yet: put back for about a second (as long as an unknown endpoint is assumed to take)
        assertThat(ports.queue().postponed()).hasSize(2).allSatisfy((receipt, delay) ->
                assertThat(delay).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500)));
        assertThat(ports.events().attempts()).as("a deferred delivery was not attempted, so nothing is logged or spent").hasSize(2);
        assertThat(slowMaxInFlight.get()).isEqualTo(CAP);
    }

    private static DeliveryWorker.Invocation deadlineIn(Duration d) {
        return new DeliveryWorker.Invocation(System.nanoTime() + d.toNanos(), java.time.Instant.now());
    }

    private SQSEvent batch(String first, int firstCount, String second, int secondCount) {
        return batch(first, firstCount, second, secondCount, 1);
    }

    private SQSEvent batch(String first, int firstCount, String second, int secondCount, int receiveCount) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int i = 0; i < firstCount + secondCount; i++) {
            String ep = i < firstCount ? first : second;
            DeliveryJob job = new DeliveryJob("ws", "", ep, "evt_" + i, "order.completed", Instant.parse("2026-01-01T00:00:00Z"),
                    null, null, "{\"n\":" + i + "}");
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m" + i);
            m.setReceiptHandle("r" + i);
            m.setBody(job.toMessageBody());
            m.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(receiveCount)));
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private Endpoint endpoint(String id, String path) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Endpoint(id, "ws", "http://127.0.0.1:" + server.getAddress().getPort() + path, null, "POST",
                Endpoint.PayloadFormat.ENVELOPE, List.of(), Map.of(), Endpoint.AuthType.NONE, 15, true, null,
                ports.seal("ws", "", id, credentials()), t, t);
    }

    private static EndpointCredentials credentials() {
        return EndpointCredentials.of(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), new OutboundAuth.None());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
