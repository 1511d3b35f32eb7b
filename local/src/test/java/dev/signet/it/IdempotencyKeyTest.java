package dev.signet.it;

import dev.signet.local.SignetStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The same Idempotency-Key within 24 h returns the first response and creates no new deliveries. */
class IdempotencyKeyTest {
    static SignetStack stack;
    static Api api;

    @BeforeAll
    static void start() {
        stack = SignetStack.builder().retrySchedule("1s").start();
        api = new Api(stack.baseUrl().toString());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aRepeatedKeyReplaysTheFirstResponseAndDeliversOnce() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant tenant = Tenant.create(api, stack.adminKey(), "idempotent", Tenant.endpointFor(receiver.url()));
            Map<String, String> key = Map.of("Idempotency-Key", "order-77-completed");
            Api.Response first = api.send("POST", "/v1/events", tenant.ingestKey(), Tenant.SEED_EVENT, key);
            Api.Response second = api.send("POST", "/v1/events", tenant.ingestKey(), Tenant.SEED_EVENT, key);
            assertThat(first.status()).isEqualTo(202);
            assertThat(second.status()).isEqualTo(202);
            assertThat(second.body()).isEqualTo(first.body());

            Api.Response other = api.send("POST", "/v1/events", tenant.ingestKey(), Tenant.SEED_EVENT, Map.of("Idempotency-Key", "another"));
            assertThat(other.text("id")).isNotEqualTo(first.text("id"));

            Api.Response changed = api.send("POST", "/v1/events", tenant.ingestKey(),
                    Tenant.SEED_EVENT.replace("12900", "13000"), key);
            assertThat(changed.status()).isEqualTo(409);
            assertThat(changed.json().path("error").path("code").asText()).isEqualTo("conflict");

            receiver.awaitRequests(2, Duration.ofSeconds(20));
            Thread.sleep(1500);
            assertThat(receiver.requests()).extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrder(first.text("id"), other.text("id"));
        }
    }

    @Test
    void keysAreScopedToTheirWorkspace() {
        Tenant a = Tenant.create(api, stack.adminKey(), "idem-a", null);
        Tenant b = Tenant.create(api, stack.adminKey(), "idem-b", null);
        Map<String, String> key = Map.of("Idempotency-Key", "shared-key");
        Api.Response ra = api.send("POST", "/v1/events", a.ingestKey(), Tenant.SEED_EVENT, key);
        Api.Response rb = api.send("POST", "/v1/events", b.ingestKey(), Tenant.SEED_EVENT, key);
        assertThat(ra.status()).isEqualTo(202);
        assertThat(rb.status()).isEqualTo(202);
        assertThat(rb.text("id")).isNotEqualTo(ra.text("id"));
        assertThat(ra.json().path("deliveries").asInt()).isZero();
    }
}
