package dev.signet.delivery;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.core.stats.HourlyCounts;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each delivery invocation counts its settled attempts per endpoint and hour in memory and writes
 * them once after the batch: one write per endpoint-hour, not per attempt. {@code failed} counts
 * failed attempts, {@code succeeded} and {@code dead_lettered} deliveries. A write that fails is
 * logged and never fails the batch.
 */
class EndpointStatisticsAreWrittenOncePerInvocationTest {
    private final DeliveryFixture f = new DeliveryFixture();
    private final DeliveryHandler handler = new DeliveryHandler(f.worker, f.stores.stats(), f.clock);
    private final Instant hour = Instant.parse("2026-04-17T18:00:00Z");

    private SQSBatchResponse invoke(List<DeliveryWorker.Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (DeliveryWorker.Message m : messages) {
            f.stores.queue().received(m.receiptHandle());
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setAttributes(Map.of("ApproximateReceiveCount", Integer.toString(m.receiveCount())));
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return handler.handleRequest(event, null);
    }

    private HourlyCounts counts(String endpointId) {
        return f.stores.stats().hours(DeliveryFixture.WS, endpointId, hour, hour.plusSeconds(3600)).getOrDefault(hour, HourlyCounts.NONE);
    }

    @Test
    void aBatchWritesOnceForEachEndpointItDeliveredTo() {
        f.endpoint("ep_a");
        f.endpoint("ep_b");
        f.receiver.answers(200, 200, 200, 200, 200, 200, 200, 200);
        List<DeliveryWorker.Message> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(f.message("ep_a", 1));
        }
        batch.add(f.message("ep_b", 1));
        batch.add(f.message("ep_b", 1));

        assertThat(invoke(batch).getBatchItemFailures()).isEmpty();
        assertThat(f.stores.stats().writes()).isEqualTo(2);
        assertThat(counts("ep_a")).isEqualTo(new HourlyCounts(6, 0, 0, 6 * 12, 6));
        assertThat(counts("ep_b")).isEqualTo(new HourlyCounts(2, 0, 0, 2 * 12, 2));
        assertThat(counts("ep_a").durationMsAverage()).isEqualTo(12);

        // A failed attempt with attempts left, and a failed last attempt (dead-lettered), in one more invocation.
        f.receiver.answers(500, 500);
        invoke(List.of(f.message("ep_a", 1), f.message("ep_a", 4)));
        assertThat(f.stores.stats().writes()).isEqualTo(3);
        assertThat(counts("ep_a")).isEqualTo(new HourlyCounts(6, 2, 1, 8 * 12, 8));
        assertThat(f.attempts().stream().filter(a -> a.endpointId().equals("ep_a")).count())
                .as("succeeded + failed is every attempt in the log").isEqualTo(8);
    }

    @Test
    void anAttemptWithoutARequestCountsButNotTowardsTheDuration() {
        f.endpoint(DeliveryFixture.WS, "ep_off", false, "disabled by the operator");
        invoke(List.of(f.message("ep_off", 1)));
        assertThat(counts("ep_off")).isEqualTo(new HourlyCounts(0, 1, 0, 0, 0));
        assertThat(counts("ep_off").durationMsAverage()).isNull();
    }

    @Test
    void aFailedWriteIsLoggedAndTheBatchStillSucceeds() {
        f.endpoint("ep_a");
        f.receiver.answers(200);
        f.stores.stats().faults().failNext("add", 1, () -> new IllegalStateException("throttled"));
        SQSBatchResponse r = invoke(List.of(f.message("ep_a", 1)));
        assertThat(r.getBatchItemFailures()).isEmpty();
        assertThat(f.attempts()).hasSize(1);
        assertThat(counts("ep_a")).isEqualTo(HourlyCounts.NONE);
    }
}
