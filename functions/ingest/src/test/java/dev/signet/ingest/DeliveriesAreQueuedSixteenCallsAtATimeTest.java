package dev.signet.ingest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.signet.ingest.IngestFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch's deliveries go to the queue in calls of 10, 16 calls at a time, not one call after another
 * (so 5,000 deliveries do not take 500 round trips) and not all at once (so one request cannot open
 * hundreds of connections).
 */
class DeliveriesAreQueuedSixteenCallsAtATimeTest {
    private final IngestFixture ingest = new IngestFixture();

    @Test
    void sixteenCallsAreInFlightAtOnceAndNoMore() throws Exception {
        for (int i = 0; i < 50; i++) {
            ingest.endpoint("ep_%02d".formatted(i));
        }
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(event("order.completed", i));
        }
        CountDownLatch release = new CountDownLatch(1);
        ingest.stores.queue().faults().holdNext("enqueue", 100, release); // calls pile up until released

        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<IngestFixture.Reply> reply = CompletableFuture.supplyAsync(
                    () -> ingest.emitBatch(IngestFixture.batchOf(events.toArray(String[]::new))), background);
            boolean sixteen = waitFor(() -> ingest.stores.queue().enqueuesInFlight() == 16, Duration.ofSeconds(10));
            int inFlight = ingest.stores.queue().enqueuesInFlight();
            release.countDown();

            assertThat(sixteen).as("calls in flight while held: " + inFlight).isTrue();
            assertThat(reply.get(30, TimeUnit.SECONDS).status()).isEqualTo(202);
        }
        assertThat(ingest.stores.queue().mostEnqueuesInFlight()).isEqualTo(16);
        assertThat(ingest.stores.queue().enqueued()).hasSize(5000);
    }

    @Test
    void aSingleEventToOneEndpointIsOneCall() {
        ingest.endpoint("ep_all");

        assertThat(ingest.emit(IngestFixture.ORDER_COMPLETED).status()).isEqualTo(202);

        assertThat(ingest.stores.queue().mostEnqueuesInFlight()).isEqualTo(1);
        assertThat(ingest.stores.queue().enqueued()).hasSize(1);
    }

    private static boolean waitFor(BooleanSupplier condition, Duration bound) throws InterruptedException {
        long until = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
