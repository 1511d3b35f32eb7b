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
    void credentialsCopiedFromAnotherEndpointAreNeverUsedAndTheAttemptFails() {
        var source = f.endpoint("ep_source");
        var target = f.endpoint("ep_target");
        // Someone with write access to the table copies one endpoint's sealed credentials into another's item.
        f.stores.config().put(target.withCredentials(source.credentials(), target.authType(), target.updatedAt()));
        var m = f.message("ep_target", 1);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.receiver.requests).as("nothing is sent, signed or not").isEmpty();
        assertThat(f.onlyAttempt().error()).isEqualTo(DeliveryWorker.UNREADABLE_CREDENTIALS);
        assertThat(f.onlyAttempt().deliveryStatus()).as("retried, so a restored key still delivers it").isEqualTo(Attempt.DeliveryStatus.PENDING);
        assertThat(f.successorOf(m)).isNotNull();
    }

    @Test
    void anEndpointFromBeforeSealedCredentialsWhoseSecretCannotBeReadWaitsWithoutSpendingAnAttempt() {
        var ep = f.endpoint("ep_legacy");
        f.stores.config().put(ep.withCredentials(dev.signet.core.endpoint.StoredCredentials.legacy("signet/old/endpoints/ep_legacy",
                "whsec_…LaSw"), ep.authType(), ep.updatedAt()));
        f.stores.secrets().faults().failNext("read", 1, () -> new IllegalStateException("AccessDeniedException"));
        var m = f.message("ep_legacy", 1);

        assertThat(f.deliver(m)).isFalse();

        assertThat(f.receiver.requests).isEmpty();
        assertThat(f.attempts()).as("no attempt spent").isEmpty();
        assertThat(f.postponed(m)).isNotNull();
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
