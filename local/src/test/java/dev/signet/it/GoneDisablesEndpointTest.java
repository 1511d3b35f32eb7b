package dev.signet.it;

import dev.signet.local.ApiClient;

import dev.signet.core.event.Attempt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** 410 Gone disables the endpoint and stops its retries (README, "What a delivery looks like"). */
class GoneDisablesEndpointTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s,1s");

    @Test
    void a410StopsRetriesAndDisablesTheEndpointWithAReason() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(410))) {
            Tenant tenant = signet.tenant("gone", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            receiver.awaitRequests(1, Duration.ofSeconds(20));

            ApiClient.Reply ep = Eventually.get(Duration.ofSeconds(10),
                    () -> signet.api().get("/v1/workspaces/gone/endpoints/" + tenant.endpointId(), signet.adminKey()),
                    r -> !r.json().path("enabled").asBoolean());
            assertThat(ep.text("disabled_reason")).contains("410");
            assertThat(ep.text("disabled_by")).isEqualTo("signet");

            List<Attempt> attempts = signet.attempts("gone", eventId);
            assertThat(attempts).hasSize(1);
            assertThat(attempts.getFirst().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.FAILED);
            assertThat(attempts.getFirst().responseStatus()).isEqualTo(410);
            signet.awaitDeliveriesDrained();
            assertThat(receiver.requests()).as("no retries after 410").hasSize(1);

            // New events no longer go to a disabled endpoint.
            assertThat(tenant.emit(signet.api(), Tenant.SEED_EVENT).json().path("deliveries").asInt()).isZero();
        }
    }
}
