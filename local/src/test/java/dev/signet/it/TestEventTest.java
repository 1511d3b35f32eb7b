package dev.signet.it;

import com.standardwebhooks.Webhook;
import dev.signet.core.event.Attempt;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST …/endpoints/{ep}/test} (openapi.yaml, endpoints): a sample event for one endpoint, delivered through
 * the normal pipeline: signed, logged as attempts, retried with the same webhook-id.
 */
class TestEventTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    private static final String SEED_PAYLOAD = "{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\","
            + "\"account_id\":\"acc_casterly\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,"
            + "\"completed_at\":\"2026-04-17T18:22:00Z\"}";

    @Test
    void theTestEventArrivesSignedWithTheSeedPayloadEvenPastTheEventFilter() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            // This endpoint's filter would not let order.completed through; a test event goes anyway.
            Tenant t = signet.tenant("lannister", "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"invoice.paid\"]}");
            ApiClient.Reply sent = signet.api().post(testPath(t), t.sessionToken(), "{}");
            assertThat(sent.status()).as(sent.body()).isEqualTo(202);
            String eventId = sent.text("id");
            assertThat(eventId).startsWith("evt_");

            TestReceiver.Received r = receiver.awaitRequests(1, Duration.ofSeconds(20)).getFirst();
            assertThat(r.header("webhook-id")).isEqualTo(eventId);
            new Webhook(t.secret()).verify(r.bodyText(), Map.of(
                    "webhook-id", List.of(r.header("webhook-id")),
                    "webhook-timestamp", List.of(r.header("webhook-timestamp")),
                    "webhook-signature", List.of(r.header("webhook-signature"))));
            assertThat(r.bodyText()).startsWith("{\"id\":\"" + eventId + "\",\"type\":\"order.completed\",")
                    .contains("\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\",")
                    .endsWith("\"data\":" + SEED_PAYLOAD + "}");

            List<Attempt> attempts = signet.awaitAttempts("lannister", eventId, 1);
            assertThat(attempts).hasSize(1);
            assertThat(attempts.getFirst().endpointId()).isEqualTo(t.endpointId());
            assertThat(attempts.getFirst().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
            assertThat(signet.events().getEvent("lannister", signet.generation("lannister"), eventId)).hasValueSatisfying(e -> {
                assertThat(e.type()).isEqualTo("order.completed");
                assertThat(e.payload()).isEqualTo(SEED_PAYLOAD);
                assertThat(e.endpointIds()).containsExactly(t.endpointId());
            });

            // The admin key may send one too; another type gets the generic sample.
            ApiClient.Reply other = signet.api().post(testPath(t), signet.adminKey(), "{\"event\":\"invoice.paid\"}");
            assertThat(other.status()).as(other.body()).isEqualTo(202);
            TestReceiver.Received generic = receiver.awaitRequests(2, Duration.ofSeconds(20)).get(1);
            assertThat(generic.header("webhook-id")).isEqualTo(other.text("id"));
            assertThat(generic.bodyText()).contains("\"type\":\"invoice.paid\"").contains("\"resource\":null")
                    .endsWith("\"data\":{\"example\":true,\"event\":\"invoice.paid\"}}");
        }
    }

    @Test
    void aFailingReceiverMakesTheTestEventRetryWithTheSameWebhookId() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(n == 1 ? 500 : 200))) {
            Tenant t = signet.tenant("tarth", Tenant.endpointFor(receiver.url()));
            String eventId = signet.api().post(testPath(t), t.sessionToken(), "{\"event\":\"order.completed\"}").text("id");

            List<TestReceiver.Received> requests = receiver.awaitRequests(2, Duration.ofSeconds(20));
            assertThat(requests).extracting(q -> q.header("webhook-id")).containsExactly(eventId, eventId);
            List<Attempt> attempts = signet.awaitAttempts("tarth", eventId, 2);
            assertThat(attempts).extracting(Attempt::status).containsExactly(Attempt.Status.FAILED, Attempt.Status.SUCCEEDED);
            assertThat(attempts.getFirst().responseStatus()).isEqualTo(500);
            assertThat(attempts.getFirst().nextAttemptAt()).isNotNull();
        }
    }

    @Test
    void aTestEventNeedsAnEnabledEndpointOfTheWorkspaceAndAnEventName() {
        Tenant t = signet.tenant("crakehall", "{\"url\":\"http://127.0.0.1:9/x\"}");
        Tenant other = signet.tenant("cerwyn", null);

        ApiClient.Reply badName = signet.api().post(testPath(t), t.sessionToken(), "{\"event\":\"order completed\"}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().path("error").path("field").asText()).isEqualTo("event");
        assertThat(signet.api().post(testPath(t), t.sessionToken(), "{\"event\":7}").json().path("error").path("field").asText()).isEqualTo("event");
        assertThat(signet.api().post(testPath(t), t.sessionToken(), "{\"payload\":{}}").json().path("error").path("field").asText()).isEqualTo("payload");
        assertThat(signet.api().post(testPath(t), t.ingestKey(), "{}").status()).isEqualTo(403);
        assertThat(signet.api().post(testPath(t), other.sessionToken(), "{}").status()).isEqualTo(404);
        assertThat(signet.api().post("/v1/workspaces/crakehall/endpoints/ep_nope/test", t.sessionToken(), "{}").status()).isEqualTo(404);

        assertThat(signet.api().patch("/v1/workspaces/crakehall/endpoints/" + t.endpointId(), t.sessionToken(), "{\"enabled\":false}").status())
                .isEqualTo(200);
        ApiClient.Reply disabled = signet.api().post(testPath(t), t.sessionToken(), "{}");
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(409);
        assertThat(disabled.json().path("error").path("code").asText()).isEqualTo("conflict");
        assertThat(disabled.json().path("error").path("message").asText()).contains("disabled").contains("\"enabled\":true");
    }

    private static String testPath(Tenant t) {
        return "/v1/workspaces/" + t.workspaceId() + "/endpoints/" + t.endpointId() + "/test";
    }
}
