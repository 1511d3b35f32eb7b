package dev.signet.ingest;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Event;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.signet.ingest.IngestFixture.WS;
import static dev.signet.ingest.IngestFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest fans a batch out to the queue in many calls; when some fail, the request answers 500 and
 * says how many deliveries were queued. Retried with the same Idempotency-Key, it answers with the
 * same event ids and queues exactly the missing deliveries: in the end each (event, endpoint) is
 * queued once. Without a key, the 500 says that a retry is a new request.
 */
class RetryWithTheSameKeyQueuesEachDeliveryOnceTest {
    private static final int ENDPOINTS = 50;
    private static final int EVENTS = 100;

    private final IngestFixture ingest = new IngestFixture();
    private final String batch = hundredEvents();

    RetryWithTheSameKeyQueuesEachDeliveryOnceTest() {
        for (int i = 0; i < ENDPOINTS; i++) {
            ingest.endpoint("ep_%02d".formatted(i));
        }
    }

    @Test
    void aFanOutThatFailsPartWayIsFinishedByTheRetryWithoutDuplicates() {
        ingest.stores.queue().faults().failNth("enqueue", 37, () -> new IllegalStateException("SQS is unavailable"));

        IngestFixture.Reply failed = ingest.emitBatch(batch, "batch-0042");
        int queuedBeforeRetry = ingest.stores.queue().enqueued().size();

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.errorCode()).isEqualTo("internal");
        assertThat(failed.json().path("error").path("message").asText())
                .contains("only " + queuedBeforeRetry + " of their 5000 deliveries could be queued")
                .contains("retry with the same Idempotency-Key");
        assertThat(queuedBeforeRetry).isBetween(36 * 10, 5000 - 10);

        IngestFixture.Reply retried = ingest.emitBatch(batch, "batch-0042");

        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        List<String> ids = idsOf(retried);
        assertEveryDeliveryQueuedOnce(ids);
        assertThat(ingest.emitBatch(batch, "batch-0042").body()).as("a later repeat replays").isEqualTo(retried.body());
        assertThat(ingest.stores.queue().enqueued()).hasSize(EVENTS * ENDPOINTS);
    }

    @Test
    void failuresOnSeveralRetriesStillEndWithEachDeliveryQueuedOnce() {
        // Each attempt makes at most nth calls plus the 15 others in flight: 500 calls are never all made.
        for (int nth : new int[]{1, 100, 3, 100}) {
            ingest.stores.queue().faults().failNth("enqueue", nth, () -> new IllegalStateException("SQS is unavailable"));
            assertThat(ingest.emitBatch(batch, "batch-0043").status()).isEqualTo(500);
        }
        IngestFixture.Reply done = ingest.emitBatch(batch, "batch-0043");

        assertThat(done.status()).isEqualTo(202);
        assertEveryDeliveryQueuedOnce(idsOf(done));
        assertThat(ingest.stores.queue().faults().failures("enqueue")).isEqualTo(4);
    }

    @Test
    void aFailedEventWriteIsRetriedWithTheSameEvents() {
        ingest.stores.events().faults().failNext("putEvent", 1, () -> new IllegalStateException("DynamoDB is throttling"));

        IngestFixture.Reply failed = ingest.emitBatch(batch, "batch-0044");
        IngestFixture.Reply retried = ingest.emitBatch(batch, "batch-0044");

        assertThat(failed.status()).isEqualTo(500);
        assertThat(retried.status()).isEqualTo(202);
        assertEveryDeliveryQueuedOnce(idsOf(retried));
    }

    @Test
    void whenTheInvocationIsAboutToTimeOutNoSendStartsAndTheRetryQueuesEverything() {
        IngestFixture.Reply cutOff = withRemainingTime(3_000, () -> ingest.emitBatch(batch, "batch-0045"));

        assertThat(cutOff.status()).isEqualTo(500);
        assertThat(cutOff.json().path("error").path("message").asText()).contains("only 0 of their 5000 deliveries");
        assertThat(ingest.stores.queue().enqueued()).isEmpty();

        IngestFixture.Reply retried = withRemainingTime(15_000, () -> ingest.emitBatch(batch, "batch-0045"));
        assertThat(retried.status()).isEqualTo(202);
        assertEveryDeliveryQueuedOnce(idsOf(retried));
    }

    @Test
    void withoutAKeyThe500SaysARetryIsANewRequest() {
        ingest.stores.queue().faults().failNth("enqueue", 10, () -> new IllegalStateException("SQS is unavailable"));

        IngestFixture.Reply failed = ingest.emitBatch(batch);

        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.json().path("error").path("message").asText())
                .contains("a retry queues them all again as new events").contains("Idempotency-Key");
        assertThat(ingest.stores.queue().enqueued()).as("some deliveries went out before the failure").isNotEmpty();
    }

    private void assertEveryDeliveryQueuedOnce(List<String> eventIds) {
        assertThat(eventIds).hasSize(EVENTS).doesNotHaveDuplicates();
        List<String> queued = ingest.stores.queue().enqueued().stream().map(j -> j.eventId() + "/" + j.endpointId()).toList();
        List<String> expected = new ArrayList<>();
        for (String id : eventIds) {
            for (int i = 0; i < ENDPOINTS; i++) {
                expected.add(id + "/" + "ep_%02d".formatted(i));
            }
        }
        assertThat(queued).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ingest.stores.events().storedEvents()).extracting(Event::id).containsExactlyInAnyOrderElementsOf(eventIds);
        assertThat(ingest.stores.queue().enqueued()).extracting(DeliveryJob::payload).allMatch(p -> p.startsWith("{\"n\":"));
    }

    private static List<String> idsOf(IngestFixture.Reply reply) {
        List<String> ids = new ArrayList<>();
        for (JsonNode r : reply.json().path("results")) {
            assertThat(r.path("deliveries").asInt()).isEqualTo(ENDPOINTS);
            ids.add(r.path("id").asText());
        }
        return ids;
    }

    private static String hundredEvents() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            events.add(event(i % 2 == 0 ? "order.completed" : "order.refunded", i));
        }
        return IngestFixture.batchOf(events.toArray(String[]::new));
    }

    /** Runs the request as an invocation with {@code millis} left before Lambda's timeout. */
    private IngestFixture.Reply withRemainingTime(int millis, Supplier<IngestFixture.Reply> request) {
        Context context = (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[]{Context.class},
                (proxy, method, args) -> method.getName().equals("getRemainingTimeInMillis") ? millis : null);
        return ingest.withContext(context, request);
    }
}
