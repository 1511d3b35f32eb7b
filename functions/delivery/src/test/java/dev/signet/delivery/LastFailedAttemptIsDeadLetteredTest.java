package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure on the last attempt dead-letters the delivery: logged as such, moved to the dead-letter
 * queue by the worker itself, reset so that a redrive starts a fresh run, and the operator is told.
 */
class LastFailedAttemptIsDeadLetteredTest {

    @Test
    void theLastFailureIsLoggedAndTheDeliveryMovedToTheDeadLetterQueueReadyForARedrive() {
        DeliveryFixture f = new DeliveryFixture();
        f.endpoint("ep_1");
        f.receiver.answers(503);
        var m = f.message("ep_1", 4); // the policy allows 4 attempts

        assertThat(f.deliver(m)).as("moved, so nothing left for the event source to delete").isFalse();

        Attempt a = f.onlyAttempt();
        assertThat(a.attempt()).isEqualTo(4);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.DEAD_LETTERED);
        assertThat(a.nextAttemptAt()).isNull();
        assertThat(f.stores.queue().deleted()).containsExactly(m.receiptHandle());
        DeliveryJob parked = DeliveryJob.fromMessageBody(f.stores.queue().deadLettered().getFirst());
        assertThat(parked.eventId()).isEqualTo(DeliveryFixture.job(m).eventId());
        assertThat(parked.payload()).isEqualTo(DeliveryFixture.job(m).payload());
        assertThat(parked.progress().trigger()).isEqualTo(Progress.Trigger.REDRIVE);
        assertThat(parked.progress().attempt()).isEqualTo(1);
        assertThat(parked.progress().run()).isNotEqualTo(DeliveryFixture.job(m).progress().run());
    }

    @Test
    void aRedrivenDeliveryStartsAtAttemptOneOfANewRun() {
        DeliveryFixture f = new DeliveryFixture();
        f.endpoint("ep_1");
        f.receiver.answers(500);
        f.deliver(f.message("ep_1", 4));
        DeliveryJob parked = DeliveryJob.fromMessageBody(f.stores.queue().deadLettered().getFirst());

        assertThat(f.deliver(f.message(parked, 1))).isTrue();

        assertThat(f.attempts()).extracting(Attempt::attempt).containsExactly(4, 1);
        assertThat(f.attempts().getLast().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
        assertThat(f.attempts().get(0).id()).isNotEqualTo(f.attempts().get(1).id());
    }

    @Test
    void aLastAttemptWhoseRecordCannotBeWrittenIsRecordedFirstThenDeadLettered() {
        DeliveryFixture f = new DeliveryFixture();
        f.endpoint("ep_1");
        f.receiver.answers(500);
        f.stores.events().faults().failAlways("putAttempt", () -> new IllegalStateException("throttled"));
        var m = f.message("ep_1", 4);

        assertThat(f.deliver(m)).isFalse();
        assertThat(f.stores.queue().deadLettered()).as("not before its last attempt is in the log").isEmpty();

        f.stores.events().faults().clear("putAttempt");
        assertThat(f.deliver(f.successorOf(m))).as("recorded, then moved").isFalse();

        assertThat(f.onlyAttempt().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.DEAD_LETTERED);
        assertThat(f.stores.queue().deadLettered()).hasSize(1);
        assertThat(f.receiver.requests).hasSize(1);
    }

    @Test
    void theOperatorIsToldAboutADeadLetterButNotAboutTheirOwn() {
        DeliveryFixture f = new DeliveryFixture("ops");
        f.endpoint("ep_1");
        f.endpoint("ops", "ep_ops", true, null);
        f.receiver.answers(500, 500);

        f.deliver(f.message("ep_1", 4));
        assertThat(f.stores.queue().enqueued()).singleElement().satisfies(job -> {
            assertThat(job.workspaceId()).isEqualTo("ops");
            assertThat(job.generation()).as("in the operator workspace's generation")
                    .isEqualTo(f.stores.config().get("ops").orElseThrow().generation());
            assertThat(job.endpointId()).isEqualTo("ep_ops");
            assertThat(job.eventType()).isEqualTo(OperatorNotifications.DEAD_LETTERED);
            assertThat(job.payload()).contains("\"endpoint_id\":\"ep_1\"").contains("\"attempts\":4")
                    .contains("\"last_response_status\":500");
        });

        f.deliver(f.message("ops", "ep_ops", 4));
        assertThat(f.stores.queue().enqueued()).extracting(DeliveryJob::workspaceId).containsExactly("ops");
    }

    @Test
    void aNotificationThatCannotBeQueuedDoesNotFailTheDelivery() {
        DeliveryFixture f = new DeliveryFixture("ops");
        f.endpoint("ep_1");
        f.endpoint("ops", "ep_ops", true, null);
        f.receiver.answers(500);
        f.stores.queue().faults().failAlways("enqueue", () -> new IllegalStateException("SQS unavailable"));
        var m = f.message("ep_1", 4);

        assertThat(f.deliver(m)).isFalse();
        assertThat(f.stores.queue().deadLettered()).hasSize(1);
        assertThat(f.onlyAttempt().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.DEAD_LETTERED);
    }
}
