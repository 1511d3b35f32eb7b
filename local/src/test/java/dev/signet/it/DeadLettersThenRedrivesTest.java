package dev.signet.it;

import dev.signet.local.ApiClient;

import dev.signet.core.event.Attempt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver that always fails: after the last scheduled attempt the delivery sits in the dead-letter
 * queue with every attempt logged; an operator's redrive (StartMessageMoveTask) then delivers it with
 * a fresh schedule and the same webhook-id.
 */
class DeadLettersThenRedrivesTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    @Test
    void aDeliveryThatAlwaysFailsIsDeadLetteredAndARedriveDeliversIt() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(false);
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(healthy.get() ? 200 : 503))) {
            Tenant tenant = signet.tenant("always-fails", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            var sqs = signet.stack().clients().sqs();
            String dlq = signet.stack().resources().deadLetterQueueUrl();

            Eventually.get(Duration.ofSeconds(40), () -> Queues.depth(sqs, dlq), d -> d == 1);
            assertThat(Queues.depth(sqs, signet.stack().resources().deliveryQueueUrl())).isZero();
            assertThat(receiver.requests()).hasSize(3);

            var events = signet.events();
            List<Attempt> attempts = events.attemptsOf(tenant.workspaceId(), signet.generation(tenant.workspaceId()), eventId);
            assertThat(attempts).extracting(Attempt::attempt).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(Attempt::status).containsOnly(Attempt.Status.FAILED);
            assertThat(attempts).extracting(Attempt::deliveryStatus).containsExactly(
                    Attempt.DeliveryStatus.PENDING, Attempt.DeliveryStatus.PENDING, Attempt.DeliveryStatus.DEAD_LETTERED);
            assertThat(attempts.getLast().nextAttemptAt()).isNull();

            // The operator fixes the receiver and redrives the dead-letter queue.
            healthy.set(true);
            sqs.startMessageMoveTask(r -> r.sourceArn(signet.stack().resources().deadLetterQueueArn())
                    .destinationArn(signet.stack().resources().deliveryQueueArn()));
            List<TestReceiver.Received> got = receiver.awaitRequests(4, Duration.ofSeconds(30));
            assertThat(got.get(3).header("webhook-id")).isEqualTo(eventId);

            List<Attempt> after = Eventually.get(Duration.ofSeconds(20), () -> events.attemptsOf(tenant.workspaceId(), signet.generation(tenant.workspaceId()), eventId),
                    a -> a.size() == 4);
            Attempt redriven = after.getLast();
            assertThat(redriven.status()).isEqualTo(Attempt.Status.SUCCEEDED);
            assertThat(redriven.attempt()).as("a redriven delivery starts a fresh schedule").isEqualTo(1);
            Eventually.get(Duration.ofSeconds(20), () -> Queues.depth(sqs, dlq) + Queues.depth(sqs, signet.stack().resources().deliveryQueueUrl()),
                    d -> d == 0);
        }
    }
}
