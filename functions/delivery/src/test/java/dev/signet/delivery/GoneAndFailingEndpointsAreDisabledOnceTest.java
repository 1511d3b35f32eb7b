package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 410 Gone disables the endpoint and stops that delivery; so does failing without a success for the
 * auto-disable period. Either way the endpoint is disabled once, and the operator told once.
 */
class GoneAndFailingEndpointsAreDisabledOnceTest {

    @Test
    void goneDisablesTheEndpointAndEndsTheDelivery() {
        DeliveryFixture f = new DeliveryFixture("ops");
        f.endpoint("ep_1");
        f.endpoint("ops", "ep_ops", true, null);
        f.receiver.answers(410, 410);
        var first = f.message("ep_1", 1);
        var second = f.message("ep_1", 1);

        assertThat(f.deliver(first)).isTrue();
        assertThat(f.deliver(second)).as("the cached endpoint was invalidated: abandoned, not sent").isTrue();

        assertThat(f.receiver.requests).hasSize(1);
        assertThat(f.stores.config().get(DeliveryFixture.WS, "ep_1")).hasValueSatisfying(e -> {
            assertThat(e.enabled()).isFalse();
            assertThat(e.disabledReason()).isEqualTo("receiver answered 410 Gone");
        });
        assertThat(f.attempts()).extracting(Attempt::error)
                .containsExactly("receiver answered 410 Gone; endpoint disabled", "endpoint is disabled: receiver answered 410 Gone");
        assertThat(f.stores.queue().enqueued()).extracting(DeliveryJob::eventType).containsExactly(OperatorNotifications.ENDPOINT_DISABLED);
    }

    @Test
    void failingForTheWholePeriodDisablesTheEndpoint() {
        DeliveryFixture f = new DeliveryFixture(null, Duration.ofHours(1));
        f.endpoint("ep_1");
        f.receiver.answers(500, 500);

        assertThat(f.deliver(f.message("ep_1", 1))).isFalse();
        assertThat(f.stores.config().get(DeliveryFixture.WS, "ep_1")).hasValueSatisfying(e -> assertThat(e.enabled()).isTrue());

        f.clock.advance(Duration.ofMinutes(61));
        assertThat(f.deliver(f.message("ep_1", 2))).isFalse();

        assertThat(f.stores.config().get(DeliveryFixture.WS, "ep_1")).hasValueSatisfying(e -> {
            assertThat(e.enabled()).isFalse();
            assertThat(e.disabledReason()).startsWith("every attempt failed for 1 h");
        });
    }

    @Test
    void aSuccessEndsTheFailingStreak() {
        DeliveryFixture f = new DeliveryFixture(null, Duration.ofHours(1));
        f.endpoint("ep_1");
        f.receiver.answers(500, 204, 500);

        f.deliver(f.message("ep_1", 1));
        f.clock.advance(Duration.ofMinutes(30));
        f.deliver(f.message("ep_1", 1));
        f.clock.advance(Duration.ofMinutes(40));
        f.deliver(f.message("ep_1", 1));

        assertThat(f.stores.config().get(DeliveryFixture.WS, "ep_1")).hasValueSatisfying(e -> assertThat(e.enabled()).isTrue());
        assertThat(f.stores.config().failingSinceOf(DeliveryFixture.WS, "ep_1")).contains(DeliveryFixture.T0.plus(Duration.ofMinutes(70)));
    }
}
