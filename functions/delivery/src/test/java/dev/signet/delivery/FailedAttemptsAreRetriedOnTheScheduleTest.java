package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Progress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.signet.delivery.DeliveryFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anything but 2xx and 410, before the last attempt: logged as pending, and the delivery goes on as a
 * message for the next attempt, due after the schedule's delay (the received one is replaced).
 */
class FailedAttemptsAreRetriedOnTheScheduleTest {
    final DeliveryFixture f = new DeliveryFixture();

    @Test
    void aServerErrorIsRetriedAfterTheScheduledDelay() {
        f.endpoint("ep_1");
        f.receiver.answers(500);
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).as("replaced by the next attempt's message, already deleted").isFalse();

        Attempt a = f.onlyAttempt();
        assertThat(a.status()).isEqualTo(Attempt.Status.FAILED);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.PENDING);
        assertThat(a.responseStatus()).isEqualTo(500);
        assertThat(a.responseBody()).isEqualTo("status 500");
        assertThat(a.error()).isEqualTo("receiver answered HTTP 500");
        assertThat(a.nextAttemptAt()).isEqualTo(T0.plusSeconds(5));

        var successor = f.stores.queue().successors().getFirst();
        assertThat(successor.delay()).isEqualTo(Duration.ofSeconds(5));
        Progress next = successor.job().progress();
        assertThat(next.attempt()).isEqualTo(2);
        assertThat(next.dueAt()).as("next_attempt_at is when the next attempt is due").isEqualTo(a.nextAttemptAt());
        assertThat(next.pending()).isNull();
        assertThat(f.stores.queue().deleted()).containsExactly(m.receiptHandle());
    }

    @Test
    void theNextAttemptIsNumberedTwoAndWaitsTheSecondDelay() {
        f.endpoint("ep_1");
        f.receiver.answers(500, 502);
        var first = f.message("ep_1", 1);
        f.deliver(first);
        var second = f.successorOf(first);
        f.clock.advance(Duration.ofSeconds(5));

        assertThat(f.deliver(second)).isFalse();

        assertThat(f.attempts()).extracting(Attempt::attempt).containsExactly(1, 2);
        assertThat(f.stores.queue().successors().getLast().delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(f.stores.queue().successors().getLast().job().progress().attempt()).isEqualTo(3);
    }

    @Test
    void aDelayLongerThanSqsCanSendWithIsSentWithFifteenMinutesAndHiddenForTheRestWhenItComes() {
        f.endpoint("ep_1");
        f.receiver.answers(500);
        var third = f.message("ep_1", 3); // the 30 min delay follows attempt 3
        f.deliver(third);
        var successor = f.stores.queue().successors().getFirst();
        assertThat(successor.delay()).isEqualTo(Duration.ofMinutes(15));

        f.clock.advance(Duration.ofMinutes(15));
        var fourth = f.successorOf(third);
        assertThat(f.deliver(fourth)).as("received before it is due: hidden again, unattempted").isFalse();

        assertThat(f.postponed(fourth)).isEqualTo(Duration.ofMinutes(15));
        assertThat(f.receiver.requests).hasSize(1);
        assertThat(f.attempts()).hasSize(1);
    }

    @Test
    void retryAfterOn429LengthensTheDelay() {
        f.endpoint("ep_1");
        f.receiver.answers(new WebhookSender.Response(429, Map.of("retry-after", List.of("120")), new byte[0], 4));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.stores.queue().successors().getFirst().delay()).isEqualTo(Duration.ofSeconds(120));
        assertThat(f.onlyAttempt().nextAttemptAt()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void aNetworkFailureIsRetriedWithItsReason() {
        f.endpoint("ep_1");
        f.receiver.answers(new WebhookSender.Failure("connection refused or unreachable", 7));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).isFalse();

        Attempt a = f.onlyAttempt();
        assertThat(a.responseStatus()).isNull();
        assertThat(a.error()).isEqualTo("connection refused or unreachable");
        assertThat(a.durationMs()).isEqualTo(7);
        assertThat(f.stores.queue().successors().getFirst().job().progress().attempt()).isEqualTo(2);
    }

    @Test
    void aRequestTheHttpClientRefusesToBuildIsAFailedAttemptNotALostDelivery() {
        f.endpoint("ep_1");
        f.receiver.throwing(new IllegalArgumentException("invalid header value"));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.onlyAttempt().error()).isEqualTo("request could not be sent: IllegalArgumentException: invalid header value");
        assertThat(f.onlyAttempt().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.PENDING);
    }

    @Test
    void whenTheNextAttemptCannotBeQueuedTheMessageComesBackAndRepeatsTheAttemptUnderTheSameId() {
        f.endpoint("ep_1");
        f.receiver.answers(500, 503);
        f.stores.queue().faults().failNext("replace", 1, () -> new IllegalStateException("SQS unavailable"));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).as("not acknowledged: it returns after the queue's visibility timeout").isFalse();
        assertThat(f.deliver(f.again(m))).isFalse();

        assertThat(f.receiver.requests).hasSize(2);
        assertThat(f.attempts()).as("attempt 1, written twice under one id").singleElement().satisfies(a -> {
            assertThat(a.attempt()).isEqualTo(1);
            assertThat(a.responseStatus()).isEqualTo(503);
        });
        assertThat(f.stores.queue().successors()).singleElement()
                .satisfies(s -> assertThat(s.job().progress().attempt()).isEqualTo(2));
    }
}
