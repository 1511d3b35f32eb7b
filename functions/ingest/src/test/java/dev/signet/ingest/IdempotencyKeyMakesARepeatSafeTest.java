package dev.signet.ingest;

import dev.signet.core.event.DeliveryJob;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.signet.ingest.IngestFixture.ORDER_COMPLETED;
import static dev.signet.ingest.IngestFixture.batchOf;
import static dev.signet.ingest.IngestFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same Idempotency-Key in the same workspace within 24 h returns the first response and queues
 * nothing new; the key with another body, or while its first request still runs, is a 409.
 */
class IdempotencyKeyMakesARepeatSafeTest {
    private final IngestFixture ingest = new IngestFixture();

    @Test
    void aRepeatedRequestGetsTheFirstResponseAndQueuesNothingNew() {
        ingest.endpoint("ep_all");
        ingest.endpoint("ep_other");

        IngestFixture.Reply first = ingest.emit(ORDER_COMPLETED, "order-77-completed");
        IngestFixture.Reply again = ingest.emit(ORDER_COMPLETED, "order-77-completed");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(ingest.stores.queue().enqueued()).hasSize(2).extracting(DeliveryJob::eventId).containsOnly(first.json().path("id").asText());
        assertThat(ingest.stores.events().storedEvents()).hasSize(1);
    }

    @Test
    void aRepeatedBatchGetsTheFirstResultsIncludingItsErrors() {
        ingest.endpoint("ep_all");
        String batch = batchOf(event("order.completed", 1), "{\"payload\":{}}", event("order.completed", 3));

        IngestFixture.Reply first = ingest.emitBatch(batch, "batch-1");
        IngestFixture.Reply again = ingest.emitBatch(batch, "batch-1");

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(first.json().path("results").get(1).path("error").path("field").asText()).isEqualTo("events[1].event");
        assertThat(ingest.stores.queue().enqueued()).hasSize(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAConflict() {
        ingest.endpoint("ep_all");
        IngestFixture.Reply first = ingest.emit(ORDER_COMPLETED, "order-77-completed");

        IngestFixture.Reply changed = ingest.emit(ORDER_COMPLETED.replace("12900", "13000"), "order-77-completed");
        IngestFixture.Reply otherRoute = ingest.emitBatch(batchOf(ORDER_COMPLETED), "order-77-completed");

        assertThat(first.status()).isEqualTo(202);
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.errorCode()).isEqualTo("conflict");
        assertThat(changed.json().path("error").path("message").asText()).contains("different request body");
        assertThat(otherRoute.status()).isEqualTo(409);
        assertThat(ingest.stores.queue().enqueued()).hasSize(1);
    }

    @Test
    void theSameKeyWhileTheFirstRequestStillRunsIsAConflict() throws Exception {
        ingest.endpoint("ep_all");
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch queueing = ingest.stores.queue().faults().holdNext("enqueue", release);
        try (var background = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<IngestFixture.Reply> first = CompletableFuture.supplyAsync(
                    () -> ingest.emit(ORDER_COMPLETED, "order-77-completed"), background);
            assertThat(queueing.await(10, TimeUnit.SECONDS)).as("the first request reached the queue").isTrue();

            IngestFixture.Reply meanwhile = ingest.emit(ORDER_COMPLETED, "order-77-completed");
            release.countDown();

            assertThat(meanwhile.status()).isEqualTo(409);
            assertThat(meanwhile.json().path("error").path("message").asText()).contains("still being processed");
            assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(202);
            assertThat(ingest.emit(ORDER_COMPLETED, "order-77-completed").body()).isEqualTo(first.get().body());
        }
        assertThat(ingest.stores.queue().enqueued()).hasSize(1);
    }

    @Test
    void keysMustBePrintableAsciiOfAtMost255Characters() {
        IngestFixture.Reply tooLong = ingest.emit(ORDER_COMPLETED, "k".repeat(256));
        IngestFixture.Reply empty = ingest.emit(ORDER_COMPLETED, "");
        IngestFixture.Reply control = ingest.emit(ORDER_COMPLETED, "tab\tkey");

        for (IngestFixture.Reply r : new IngestFixture.Reply[]{tooLong, empty, control}) {
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).isEqualTo("Idempotency-Key");
        }
        assertThat(ingest.emit(ORDER_COMPLETED, "k".repeat(255)).status()).isEqualTo(202);
    }
}
