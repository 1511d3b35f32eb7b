package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Progress;
import dev.signet.core.signing.Verifier;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.signet.delivery.DeliveryFixture.SECRET;
import static dev.signet.delivery.DeliveryFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** A 2xx ends the delivery: the request was signed and complete, its attempt is in the log, the message may go. */
class DeliveredAttemptsAreRecordedThenAcknowledgedTest {
    final DeliveryFixture f = new DeliveryFixture();

    @Test
    void aSuccessIsRecordedAndTheMessageAcknowledged() throws Exception {
        f.endpoint("ep_1");
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).as("the message may be deleted").isTrue();

        Attempt a = f.onlyAttempt();
        assertThat(a.id()).isEqualTo(Settlement.attemptId(DeliveryFixture.job(m)));
        assertThat(a.attempt()).isEqualTo(1);
        assertThat(a.status()).isEqualTo(Attempt.Status.SUCCEEDED);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
        assertThat(a.responseStatus()).isEqualTo(204);
        assertThat(a.nextAttemptAt()).isNull();
        assertThat(a.createdAt()).isEqualTo(T0);
        assertThat(a.generation()).as("written under the generation its job was queued for").isEqualTo(DeliveryFixture.GENERATION);
        assertThat(f.postponed(m)).isNull();
        assertThat(f.stores.queue().successors()).isEmpty();

        ScriptedReceiver.Request r = f.receiver.requests.getFirst();
        assertThat(r.headers()).containsEntry("webhook-id", "evt_1").containsEntry("x-team", "billing")
                .containsEntry("authorization", "Bearer token-1").containsEntry("content-type", "application/json")
                .containsEntry("user-agent", "Signet/test").containsEntry("webhook-timestamp", Long.toString(T0.getEpochSecond()));
        new Verifier(SECRET, f.clock, Verifier.DEFAULT_TOLERANCE).verify(r.headers().get("webhook-id"),
                r.headers().get("webhook-timestamp"), r.headers().get("webhook-signature"), r.body());
        assertThat(new String(r.body())).contains("\"data\":{\"order_id\":\"ord_1\",\"total_cents\":12900}");
    }

    @Test
    void anAcceptedDeliveryWhoseRecordCannotBeWrittenCarriesItInItsNextMessageNeverResent() {
        f.endpoint("ep_1");
        var m = f.message("ep_1", 1);
        f.stores.events().faults().failAlways("putAttempt", () -> new IllegalStateException("ProvisionedThroughputExceeded"));

        assertThat(f.deliver(m)).as("replaced by a message carrying the record: nothing left to delete").isFalse();

        assertThat(f.attempts()).isEmpty();
        assertThat(f.stores.events().faults().failures("putAttempt")).as("retried with backoff first").isEqualTo(6);
        var next = f.successorOf(m);
        Progress p = DeliveryFixture.job(next).progress();
        assertThat(p.pending()).isNotNull();
        assertThat(p.after()).isEqualTo(Progress.After.FINISH);
        assertThat(f.stores.queue().successors().getFirst().delay()).isZero();

        f.stores.events().faults().clear("putAttempt");
        assertThat(f.deliver(next)).isTrue();

        assertThat(f.receiver.requests).as("the receiver accepted it once; it is not sent again").hasSize(1);
        Attempt a = f.onlyAttempt();
        assertThat(a.id()).isEqualTo(Settlement.attemptId(DeliveryFixture.job(m)));
        assertThat(a.attempt()).isEqualTo(1);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
        assertThat(a.generation()).as("the record carried in the message keeps its generation").isEqualTo(DeliveryFixture.GENERATION);
        assertThat(f.stores.queue().deadLettered()).isEmpty();
    }

    @Test
    void aRecordStillUnwritableWhenItsMessageComesBackWaitsWithoutAnotherRequest() {
        f.endpoint("ep_1");
        var m = f.message("ep_1", 1);
        f.stores.events().faults().failAlways("putAttempt", () -> new IllegalStateException("timed out"));
        f.deliver(m);
        var next = f.successorOf(m);

        assertThat(f.deliver(next)).as("hidden, store still down").isFalse();

        assertThat(f.postponed(next)).isEqualTo(Duration.ofSeconds(5));
        assertThat(f.receiver.requests).hasSize(1);
        assertThat(f.attempts()).isEmpty();
    }

    @Test
    void aWarmWorkerReadsTheEndpointOncePerCacheTtlAndNoSecretAtAll() {
        f.endpoint("ep_1");
        long secretReads = f.stores.secrets().reads();
        for (int i = 0; i < 5; i++) {
            assertThat(f.deliver(f.message("ep_1", 1))).isTrue();
        }
        assertThat(f.stores.config().endpointReads()).isEqualTo(1);
        assertThat(f.stores.secrets().reads() - secretReads).as("the key-encryption keys, once").isEqualTo(1);

        f.clock.advance(Duration.ofSeconds(31));
        assertThat(f.deliver(f.message("ep_1", 1))).isTrue();
        assertThat(f.stores.config().endpointReads()).isEqualTo(2);
        assertThat(f.stores.secrets().reads() - secretReads).as("the credentials come from the endpoint item, opened with the kept keys")
                .isEqualTo(1);
    }
}
