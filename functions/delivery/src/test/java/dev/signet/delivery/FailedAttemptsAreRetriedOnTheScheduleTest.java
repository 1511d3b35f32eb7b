package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.signet.delivery.DeliveryFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Anything but 2xx and 410, before the last attempt: logged as pending, and hidden until the next one. */
class FailedAttemptsAreRetriedOnTheScheduleTest {
    final DeliveryFixture f = new DeliveryFixture();

    @Test
    void aServerErrorIsRetriedAfterTheScheduledDelay() {
        f.endpoint("ep_1");
        f.receiver.answers(500);
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).as("kept for its retry").isFalse();

        Attempt a = f.onlyAttempt();
        assertThat(a.status()).isEqualTo(Attempt.Status.FAILED);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.PENDING);
        assertThat(a.responseStatus()).isEqualTo(500);
        assertThat(a.responseBody()).isEqualTo("status 500");
        assertThat(a.error()).isEqualTo("receiver answered HTTP 500");
        assertThat(f.postponed(m)).isEqualTo(Duration.ofSeconds(5));
        assertThat(a.nextAttemptAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void theSecondFailureWaitsTheSecondDelay() {
        f.endpoint("ep_1");
        f.receiver.answers(502);
        var m = f.message("ep_1", 2);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.onlyAttempt().attempt()).isEqualTo(2);
        assertThat(f.postponed(m)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void retryAfterOn429LengthensTheDelay() {
        f.endpoint("ep_1");
        f.receiver.answers(new WebhookSender.Response(429, Map.of("retry-after", List.of("120")), new byte[0], 4));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.postponed(m)).isEqualTo(Duration.ofSeconds(120));
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
        assertThat(f.postponed(m)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aMissingSigningSecretIsAFailedAttemptWithoutARequest() {
        var ep = f.endpoint("ep_1");
        f.stores.secrets().delete(ep.secretId());
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.receiver.requests).isEmpty();
        assertThat(f.onlyAttempt().error()).isEqualTo("endpoint signing secret is missing");
        assertThat(f.postponed(m)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aRetryWhoseVisibilityCannotBeSetStillComesBack() {
        f.endpoint("ep_1");
        f.receiver.answers(500);
        f.stores.queue().faults().failAlways("postpone", () -> new IllegalStateException("SQS unavailable"));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).as("not acknowledged: it returns after the queue's visibility timeout").isFalse();
        assertThat(f.onlyAttempt().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.PENDING);
    }
}
