package dev.signet.delivery;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.log.Log;
import dev.signet.core.retry.RetryPolicy;
import dev.signet.core.retry.RetrySchedule;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.store.EndpointSlots;
import dev.signet.testkit.InMemoryStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An invocation lasts as long as its slowest request, so a slow endpoint must not hold many of them:
 * its deliveries take shared slots (across every instance), and once it is known to be slow its
 * surplus deliveries are put back at once, for about as long as it takes to answer, never waited for.
 * Two workers here stand for two function instances sharing the stores.
 */
class SlowEndpointsHoldFewInvocationsTest {
    static final Instant T = Instant.parse("2026-04-17T18:22:00Z");
    final InMemoryStores stores = InMemoryStores.create();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    final List<Thread> threads = new ArrayList<>();

    /** A receiver that holds every request until released, counting what is in flight at once. */
    final WebhookSender hanging = (method, url, headers, body, timeout) -> {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inFlight.decrementAndGet();
        return new WebhookSender.Response(204, Map.of(), new byte[0], 8000);
    };

    SlowEndpointsHoldFewInvocationsTest() {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        Endpoint ep = new Endpoint("ep_slow", "ws", "https://hooks.example.com/slow", "", "POST", Endpoint.PayloadFormat.ENVELOPE,
                List.of(), Map.of(), Endpoint.AuthType.NONE, 15, true, null, stores.seal("ws", "", "ep_slow",
                EndpointCredentials.of(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), new OutboundAuth.None())), T, T);
        stores.config().put(ep);
    }

    @AfterEach
    void finish() throws InterruptedException {
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }

    private DeliveryWorker instance() {
        return new DeliveryWorker(
                new DeliveryWorker.Ports(stores.config(), stores.vault(Clock.systemUTC()), stores.events(), stores.queue(), hanging, Clock.systemUTC()),
                new DeliveryWorker.Settings(new RetryPolicy(RetrySchedule.parse("5s"), 2, () -> 0.5), Duration.ofSeconds(30),
                        "test", 5, null, null, 100, Duration.ZERO, Duration.ofMillis(1)));
    }

    private DeliveryWorker.Message message(int n) {
        DeliveryJob job = new DeliveryJob("ws", "", "ep_slow", "evt_" + n, "order.completed", T, null, null, "{\"n\":" + n + "}");
        return new DeliveryWorker.Message("m" + n, "r" + n, job.toMessageBody(), 1);
    }

    private void deliverInBackground(DeliveryWorker worker, int n) {
        threads.add(Thread.ofVirtual().start(() -> worker.process(message(n),
                new DeliveryWorker.Invocation(System.nanoTime() + Duration.ofSeconds(60).toNanos(), Instant.now()))));
    }

    @Test
    void aSlowEndpointsSharedSlotsCapItsRequestsAcrossInstances() throws Exception {
        // Known slow (another instance recorded it) and never measured here: a 15 s timeout gives 80 / 15 → 6 slots.
        stores.config().recordPace("ws", "ep_slow", EndpointSlots.Pace.SLOW, Instant.now());
        DeliveryWorker a = instance();
        DeliveryWorker b = instance();
        for (int i = 0; i < 5; i++) {
            deliverInBackground(a, i);
            deliverInBackground(b, 100 + i);
        }
        Eventually.until(() -> inFlight.get() + stores.queue().postponed().size() == 10);

        assertThat(inFlight.get()).as("requests held open across both instances").isEqualTo(6);
        assertThat(stores.config().slotsHeld("ws", "ep_slow", Instant.now())).isEqualTo(6);
        assertThat(stores.queue().postponed()).hasSize(4);
    }

    @Test
    void aRequestInFlightForASecondMarksTheEndpointSlowForEveryInstanceAndItsSurplusIsPutBack() throws Exception {
        DeliveryWorker worker = instance();
        for (int i = 0; i < 5; i++) {
            deliverInBackground(worker, i);
        }
        Eventually.until(() -> inFlight.get() == 5);
        Thread.sleep(Duration.ofMillis(1100)); // the five requests have now been in flight over a second: slow

        boolean done = worker.process(message(50), new DeliveryWorker.Invocation(System.nanoTime() + Duration.ofSeconds(60).toNanos(),
                Instant.now()));

        assertThat(done).isFalse();
        assertThat(stores.queue().postponed().get("r50")).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
        assertThat(stores.config().pace("ws", "ep_slow")).as("shared with the other instances").isEqualTo(EndpointSlots.Pace.SLOW);
    }

    /** Polls a condition (tests here never sleep to wait for something to happen, only to let time pass). */
    static final class Eventually {
        static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not met within 10 s");
                }
                Thread.sleep(5);
            }
        }
    }
}
