package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delivery to an endpoint that was deleted, is disabled, has lost its secret, or points where the URL
 * guard refuses to go ends at once: one failed attempt saying why, and the message acknowledged.
 */
class UndeliverableEndpointsAbandonTheirDeliveriesTest {
    final DeliveryFixture f = new DeliveryFixture();

    @Test
    void aDeletedEndpoint() {
        var m = f.message("ep_gone", 1);

        assertThat(f.deliver(m)).isTrue();

        Attempt a = f.onlyAttempt();
        assertThat(a.error()).isEqualTo("endpoint was deleted");
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.FAILED);
        assertThat(f.receiver.requests).isEmpty();
        assertThat(f.postponed(m)).isNull();
        assertThat(f.stores.queue().successors()).isEmpty();
    }

    @Test
    void aDisabledEndpointSaysWhy() {
        f.endpoint(DeliveryFixture.WS, "ep_off", false, "disabled by the operator");

        assertThat(f.deliver(f.message("ep_off", 1))).isTrue();

        assertThat(f.onlyAttempt().error()).isEqualTo("endpoint is disabled: disabled by the operator");
        assertThat(f.receiver.requests).isEmpty();
    }

    @Test
    void anEndpointWithoutItsSigningSecretIsNeverSentUnsigned() {
        var ep = f.endpoint("ep_1");
        f.stores.secrets().delete(ep.secretId());

        assertThat(f.deliver(f.message("ep_1", 1))).isTrue();

        assertThat(f.receiver.requests).isEmpty();
        assertThat(f.onlyAttempt().error()).isEqualTo("endpoint signing secret is missing");
    }

    @Test
    void aTargetTheUrlGuardRefusesIsNotRetried() {
        f.endpoint("ep_1");
        f.receiver.answers(new WebhookSender.Failure("host resolves to a non-public address", 1, true));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).isTrue();

        assertThat(f.onlyAttempt().error()).isEqualTo("host resolves to a non-public address");
        assertThat(f.onlyAttempt().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.FAILED);
        assertThat(f.stores.queue().successors()).isEmpty();
    }

    @Test
    void anUnreadableMessageIsMovedToTheDeadLetterQueueAsItIs() {
        var m = new DeliveryWorker.Message("msg-x", "receipt-x", "{\"not\":\"a job\"}", 1);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.attempts()).isEmpty();
        assertThat(f.stores.queue().deadLettered()).containsExactly("{\"not\":\"a job\"}");
        assertThat(f.stores.queue().deleted()).containsExactly("receipt-x");
    }
}
