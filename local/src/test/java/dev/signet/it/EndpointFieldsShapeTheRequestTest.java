package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each endpoint field changes what the receiver gets (README, "What a delivery looks like"; openapi.yaml, endpoints), both as created and after a
 * PATCH. Deliveries cache endpoint config and credentials for SIGNET_CACHE_TTL_SECONDS (1 s here), so
 * every event after a PATCH is emitted once that bound has passed.
 */
class EndpointFieldsShapeTheRequestTest {
    private static final Duration CACHE_TTL = Duration.ofSeconds(1);

    @RegisterExtension
    static final Signet signet = new Signet("1s", Map.of("SIGNET_CACHE_TTL_SECONDS", Long.toString(CACHE_TTL.toSeconds())));

    private static final String SEED_PAYLOAD = "{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\","
            + "\"account_id\":\"acc_casterly\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,"
            + "\"completed_at\":\"2026-04-17T18:22:00Z\"}";

    @Test
    void methodCustomHeadersAndPayloadFormatAreWhatTheEndpointSays() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("braavos", "{\"url\":\"" + receiver.url() + "\",\"method\":\"PUT\",\"payload_format\":\"raw\","
                    + "\"headers\":{\"X-Team\":\"billing\",\"x-trace\":\"abc 123\"}}");
            TestReceiver.Received put = deliver(t, receiver, 1);
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(put.header("x-team")).isEqualTo("billing");
            assertThat(put.header("x-trace")).isEqualTo("abc 123");
            assertThat(put.bodyText()).as("raw: the payload alone").isEqualTo(SEED_PAYLOAD);
            put.verify(t.secret());

            patch(t, "{\"method\":\"PATCH\",\"payload_format\":\"envelope\",\"headers\":{\"x-other\":\"1\"}}");
            TestReceiver.Received patched = deliver(t, receiver, 2);
            assertThat(patched.method()).isEqualTo("PATCH");
            assertThat(patched.header("x-other")).isEqualTo("1");
            assertThat(patched.header("x-team")).as("headers are replaced whole").isNull();
            assertThat(patched.bodyText()).startsWith("{\"id\":\"" + patched.header("webhook-id") + "\",\"type\":\"order.completed\"")
                    .endsWith("\"data\":" + SEED_PAYLOAD + "}");
            patched.verify(t.secret());

            patch(t, "{\"method\":\"POST\",\"url\":\"" + receiver.url() + "/moved\"}");
            TestReceiver.Received moved = deliver(t, receiver, 3);
            assertThat(moved.method()).isEqualTo("POST");
            assertThat(moved.path()).isEqualTo("/hooks/moved");
        }
    }

    @Test
    void eachAuthTypeSendsItsHeaderAndTheCredentialIsNeverShown() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            List<String> responses = new ArrayList<>();
            Tenant t = signet.tenant("pentos",
                    "{\"url\":\"" + receiver.url() + "\",\"auth\":{\"type\":\"basic\",\"username\":\"magister\",\"password\":\"pw-basic-secret\"}}");
            responses.add(t.endpoint().toString());

            TestReceiver.Received basic = deliver(t, receiver, 1);
            assertThat(basic.header("authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("magister:pw-basic-secret".getBytes(StandardCharsets.UTF_8)));

            responses.add(patch(t, "{\"auth\":{\"type\":\"bearer\",\"token\":\"tok-bearer-secret\"}}").body());
            TestReceiver.Received bearer = deliver(t, receiver, 2);
            assertThat(bearer.header("authorization")).isEqualTo("Bearer tok-bearer-secret");
            bearer.verify(t.secret()); // changing auth keeps the signing secret

            responses.add(patch(t, "{\"auth\":{\"type\":\"header\",\"name\":\"X-Api-Key\",\"value\":\"key-header-secret\"}}").body());
            TestReceiver.Received header = deliver(t, receiver, 3);
            assertThat(header.header("x-api-key")).isEqualTo("key-header-secret");
            assertThat(header.header("authorization")).isNull();

            responses.add(patch(t, "{\"auth\":{\"type\":\"none\"}}").body());
            TestReceiver.Received none = deliver(t, receiver, 4);
            assertThat(none.header("authorization")).isNull();
            assertThat(none.header("x-api-key")).isNull();
            none.verify(t.secret());

            String endpointPath = "/v1/workspaces/pentos/endpoints/" + t.endpointId();
            for (String credential : new String[] {t.sessionToken(), signet.adminKey()}) {
                responses.add(signet.api().get(endpointPath, credential).body());
                responses.add(signet.api().get("/v1/workspaces/pentos/endpoints", credential).body());
            }
            responses.add(signet.api().patch(endpointPath, t.sessionToken(), "{\"auth\":{\"type\":\"bearer\",\"token\":\"tok-bearer-secret\",\"x\":1}}").body());
            assertThat(responses).hasSizeGreaterThan(8).allSatisfy(body -> assertThat(body)
                    .doesNotContain("pw-basic-secret").doesNotContain("tok-bearer-secret").doesNotContain("key-header-secret")
                    .doesNotContain("magister"));
        }
    }

    @Test
    void eventTypesFilterWhatIsDelivered() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("lys", "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"order.completed\"]}");
            ApiClient.Reply refunded = t.emit(signet.api(), "{\"event\":\"order.refunded\",\"payload\":{\"n\":1}}");
            assertThat(refunded.json().path("deliveries").asInt()).isZero();
            TestReceiver.Received completed = deliver(t, receiver, 1);
            assertThat(completed.bodyText()).contains("\"type\":\"order.completed\"");

            patch(t, "{\"event_types\":[\"order.refunded\"]}");
            assertThat(t.emit(signet.api(), Tenant.SEED_EVENT).json().path("deliveries").asInt()).isZero();
            ApiClient.Reply now = t.emit(signet.api(), "{\"event\":\"order.refunded\",\"payload\":{\"n\":2}}");
            assertThat(now.json().path("deliveries").asInt()).isEqualTo(1);
            TestReceiver.Received second = receiver.awaitRequests(2, Duration.ofSeconds(20)).get(1);
            assertThat(second.header("webhook-id")).isEqualTo(now.text("id"));
            assertThat(receiver.requests()).as("the filtered-out events never arrive").hasSize(2);
            assertThat(signet.attempts("lys", refunded.text("id"))).isEmpty();
        }
    }

    @Test
    void aReceiverSlowerThanTheTimeoutIsAFailedAttempt() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> {
            sleep(Duration.ofMillis(2500));
            return TestReceiver.Reply.status(200);
        })) {
            Tenant t = signet.tenant("qarth", "{\"url\":\"" + receiver.url() + "\",\"timeout_seconds\":1}");
            String eventId = t.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            Attempt first = signet.awaitAttempts("qarth", eventId, 1).getFirst();
            assertThat(first.status()).isEqualTo(Attempt.Status.FAILED);
            assertThat(first.error()).isEqualTo("timed out after 1 s");
            assertThat(first.responseStatus()).isNull();
            assertThat(first.durationMs()).isBetween(900L, 2400L);
            assertThat(first.nextAttemptAt()).as("a timeout is retried").isNotNull();

            // A longer timeout lets the same receiver succeed.
            patch(t, "{\"timeout_seconds\":10}");
            String later = t.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            Attempt ok = Eventually.get(Duration.ofSeconds(30), () -> signet.attempts("qarth", later),
                    a -> a.stream().anyMatch(x -> x.status() == Attempt.Status.SUCCEEDED)).getFirst();
            assertThat(ok.status()).isEqualTo(Attempt.Status.SUCCEEDED);
            assertThat(ok.durationMs()).isGreaterThanOrEqualTo(2000L);
        }
    }

    @Test
    void aDisabledEndpointGetsNothingUntilItIsEnabledAgain() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("volantis", Tenant.endpointFor(receiver.url()));
            deliver(t, receiver, 1);

            ApiClient.Reply off = patch(t, "{\"enabled\":false}");
            assertThat(off.json().path("disabled_reason").asText()).isEqualTo("disabled by the workspace");
            assertThat(t.emit(signet.api(), Tenant.SEED_EVENT).json().path("deliveries").asInt()).isZero();

            ApiClient.Reply on = patch(t, "{\"enabled\":true}");
            assertThat(on.json().path("disabled_reason").isNull()).isTrue();
            TestReceiver.Received again = deliver(t, receiver, 2);
            again.verify(t.secret());
            assertThat(receiver.requests()).as("the event emitted while disabled never arrives").hasSize(2);
        }
    }

    /** PATCHes the endpoint with the session and waits out the delivery cache, so the change is in force. */
    private static ApiClient.Reply patch(Tenant t, String body) throws InterruptedException {
        ApiClient.Reply r = signet.api().patch("/v1/workspaces/" + t.workspaceId() + "/endpoints/" + t.endpointId(), t.sessionToken(), body);
        assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(200);
        Instant inForce = Instant.now().plus(CACHE_TTL).plusMillis(300);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), inForce).toMillis()));
        return r;
    }

    /** Emits the seed event, expects one delivery, and returns the n-th request the receiver got. */
    private static TestReceiver.Received deliver(Tenant t, TestReceiver receiver, int n) throws InterruptedException {
        ApiClient.Reply emitted = t.emit(signet.api(), Tenant.SEED_EVENT);
        assertThat(emitted.json().path("deliveries").asInt()).as(emitted.body()).isEqualTo(1);
        TestReceiver.Received r = receiver.awaitRequests(n, Duration.ofSeconds(20)).get(n - 1);
        assertThat(r.header("webhook-id")).isEqualTo(emitted.text("id"));
        return r;
    }


    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
