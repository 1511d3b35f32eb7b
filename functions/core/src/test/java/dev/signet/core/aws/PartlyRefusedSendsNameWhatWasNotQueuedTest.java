package dev.signet.core.aws;

import dev.signet.core.event.DeliveryJob;
import dev.signet.core.store.NotQueuedException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * When SQS refuses some entries of a send (after the retries) or a call fails, the deliveries queue
 * names exactly the jobs it did not queue and sends nothing after it, so the caller can send those
 * again and no other: ingest relies on this to queue each delivery once across retries. The SQS
 * client runs for real on canned HTTP answers (no network).
 */
class PartlyRefusedSendsNameWhatWasNotQueuedTest {
    private static final List<DeliveryJob> JOBS = IntStream.range(0, 25)
            .mapToObj(i -> new DeliveryJob("casterly", "", "ep_" + i, "evt_1", "order.completed", Instant.parse("2026-04-17T18:22:00Z"),
                    null, null, "{\"n\":" + i + "}"))
            .toList();

    @Test
    void anEntryRefusedOnEveryTryIsNamedWithEveryJobOfTheLaterBatches() {
        String refusesEntry3 = "{\"Successful\":[],\"Failed\":[{\"Id\":\"3\",\"SenderFault\":false,\"Code\":\"InternalError\",\"Message\":\"try again\"}]}";
        try (PrimingClients.Primed sqs = PrimingClients.create(Map.of("SendMessageBatch", refusesEntry3))) {
            SqsDeliveryQueue queue = new SqsDeliveryQueue(sqs.clients().sqs(), "https://sqs.invalid/deliveries", null);

            assertThatThrownBy(() -> queue.enqueue(JOBS)).isInstanceOfSatisfying(NotQueuedException.class, e -> {
                assertThat(e.notQueued()).extracting(DeliveryJob::endpointId)
                        .containsExactlyElementsOf(IntStream.concat(IntStream.of(3), IntStream.range(10, 25)).mapToObj(i -> "ep_" + i).toList());
                assertThat(e.getMessage()).contains("16 of 25").contains("InternalError");
            });
            assertThat(sqs.calls().get()).as("the first batch and its two retries of entry 3; no later batch").isEqualTo(3);
        }
    }

    @Test
    void aCallWithoutAnAnswerNamesAllOfItsJobs() {
        try (PrimingClients.Primed sqs = PrimingClients.create(Map.of("SendMessageBatch", "this is not a response"))) {
            SqsDeliveryQueue queue = new SqsDeliveryQueue(sqs.clients().sqs(), "https://sqs.invalid/deliveries", null);

            assertThatThrownBy(() -> queue.enqueue(JOBS)).isInstanceOfSatisfying(NotQueuedException.class, e -> {
                assertThat(e.notQueued()).containsExactlyElementsOf(JOBS);
                assertThat(e.getCause()).isNotNull();
            });
        }
    }

    @Test
    void whenEverythingIsTakenNothingIsThrown() {
        try (PrimingClients.Primed sqs = PrimingClients.create()) {
            new SqsDeliveryQueue(sqs.clients().sqs(), "https://sqs.invalid/deliveries", null).enqueue(JOBS);

            assertThat(sqs.calls().get()).isEqualTo(3);
        }
    }
}
