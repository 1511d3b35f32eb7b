package dev.signet.it;

import dev.signet.local.ApiClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The same Idempotency-Key within 24 h returns the first response and creates no new deliveries. */
class IdempotencyKeyTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void aRepeatedKeyReplaysTheFirstResponseAndDeliversOnce() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant tenant = signet.tenant("idempotent", Tenant.endpointFor(receiver.url()));
            Map<String, String> key = Map.of("Idempotency-Key", "order-77-completed");
            ApiClient.Reply first = tenant.emit(signet.api(), Tenant.SEED_EVENT, key);
            ApiClient.Reply second = tenant.emit(signet.api(), Tenant.SEED_EVENT, key);
            assertThat(first.status()).isEqualTo(202);
            assertThat(second.status()).isEqualTo(202);
            assertThat(second.body()).isEqualTo(first.body());

            ApiClient.Reply other = tenant.emit(signet.api(), Tenant.SEED_EVENT, Map.of("Idempotency-Key", "another"));
            assertThat(other.text("id")).isNotEqualTo(first.text("id"));

            ApiClient.Reply changed = tenant.emit(signet.api(), Tenant.SEED_EVENT.replace("12900", "13000"), key);
            assertThat(changed.status()).isEqualTo(409);
            assertThat(changed.json().path("error").path("code").asText()).isEqualTo("conflict");

            receiver.awaitRequests(2, Duration.ofSeconds(20));
            signet.awaitDeliveriesDrained();
            assertThat(receiver.requests()).extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrder(first.text("id"), other.text("id"));
        }
    }

    @Test
    void keysAreScopedToTheirWorkspace() {
        Tenant a = signet.tenant("idem-a", null);
        Tenant b = signet.tenant("idem-b", null);
        Map<String, String> key = Map.of("Idempotency-Key", "shared-key");
        ApiClient.Reply ra = a.emit(signet.api(), Tenant.SEED_EVENT, key);
        ApiClient.Reply rb = b.emit(signet.api(), Tenant.SEED_EVENT, key);
        assertThat(ra.status()).isEqualTo(202);
        assertThat(rb.status()).isEqualTo(202);
        assertThat(rb.text("id")).isNotEqualTo(ra.text("id"));
        assertThat(ra.json().path("deliveries").asInt()).isZero();
    }
}
