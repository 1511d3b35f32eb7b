package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.signing.Verifier;
import org.junit.jupiter.api.Test;

import static dev.signet.delivery.DeliveryFixture.SECRET;
import static dev.signet.delivery.DeliveryFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A 2xx ends the delivery: the request was signed and complete, its attempt is in the log, the message may go. */
class DeliveredAttemptsAreRecordedThenAcknowledgedTest {
    final DeliveryFixture f = new DeliveryFixture();

    @Test
    void aSuccessIsRecordedAndTheMessageAcknowledged() throws Exception {
        f.endpoint("ep_1");
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).as("the message may be deleted").isTrue();

        Attempt a = f.onlyAttempt();
        assertThat(a.attempt()).isEqualTo(1);
        assertThat(a.status()).isEqualTo(Attempt.Status.SUCCEEDED);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
        assertThat(a.responseStatus()).isEqualTo(204);
        assertThat(a.nextAttemptAt()).isNull();
        assertThat(a.createdAt()).isEqualTo(T0);
        assertThat(f.postponed(m)).isNull();

        ScriptedReceiver.Request r = f.receiver.requests.getFirst();
        assertThat(r.headers()).containsEntry("webhook-id", "evt_1").containsEntry("x-team", "billing")
                .containsEntry("authorization", "Bearer token-1").containsEntry("content-type", "application/json")
                .containsEntry("user-agent", "Signet/test").containsEntry("webhook-timestamp", Long.toString(T0.getEpochSecond()));
        new Verifier(SECRET, f.clock, Verifier.DEFAULT_TOLERANCE).verify(r.headers().get("webhook-id"),
                r.headers().get("webhook-timestamp"), r.headers().get("webhook-signature"), r.body());
        assertThat(new String(r.body())).contains("\"data\":{\"order_id\":\"ord_1\",\"total_cents\":12900}");
    }

    @Test
    void aMessageIsNotSettledWhenItsAttemptCannotBeRecorded() {
        f.endpoint("ep_1");
        var m = f.message("ep_1", 1);
        f.stores.events().faults().failAlways("putAttempt", () -> new IllegalStateException("throttled"));

        assertThatThrownBy(() -> f.deliver(m)).hasMessageContaining("throttled");
        assertThat(f.postponed(m)).as("left to come back after the visibility timeout").isNull();
        assertThat(f.attempts()).isEmpty();
    }

    @Test
    void aWarmWorkerReadsTheEndpointAndItsSecretOncePerCacheTtl() {
        f.endpoint("ep_1");
        for (int i = 0; i < 5; i++) {
            assertThat(f.deliver(f.message("ep_1", 1))).isTrue();
        }
        assertThat(f.stores.config().endpointReads()).isEqualTo(1);
        assertThat(f.stores.secrets().reads()).isEqualTo(1);

        f.clock.advance(java.time.Duration.ofSeconds(31));
        assertThat(f.deliver(f.message("ep_1", 1))).isTrue();
        assertThat(f.stores.config().endpointReads()).isEqualTo(2);
        assertThat(f.stores.secrets().reads()).isEqualTo(2);
    }
}
