package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure on the last attempt dead-letters the delivery: logged as such, made visible at once so
 * SQS moves it to the dead-letter queue on the next receive, and the operator is told.
 */
class LastFailedAttemptIsDeadLetteredTest {

    @Test
    void theLastFailureIsLoggedDeadLetteredAndReleasedToTheQueue() {
        DeliveryFixture f = new DeliveryFixture();
        f.endpoint("ep_1");
        f.receiver.answers(503);
        var m = f.message("ep_1", 4); // the policy allows 4 attempts

        assertThat(f.deliver(m)).isFalse();

        Attempt a = f.onlyAttempt();
        assertThat(a.attempt()).isEqualTo(4);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.DEAD_LETTERED);
        assertThat(a.nextAttemptAt()).isNull();
        assertThat(f.postponed(m)).isEqualTo(Duration.ZERO);
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
        assertThat(f.postponed(m)).isEqualTo(Duration.ZERO);
        assertThat(f.onlyAttempt().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.DEAD_LETTERED);
    }
}
