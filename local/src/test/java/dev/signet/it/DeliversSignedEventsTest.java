package dev.signet.it;

import dev.signet.local.ApiClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import dev.signet.core.event.Attempt;
import dev.signet.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The happy path, end to end: ingest → SQS → delivery → signed request (README, "What a delivery looks like") → attempt log. */
class DeliversSignedEventsTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");
    static TestReceiver receiver;
    static Tenant tenant;

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        tenant = signet.tenant("casterly", Tenant.endpointFor(receiver.url()));
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void theReceiverGetsOneSignedRequestThatTheOfficialLibraryVerifies() throws Exception {
        int before = receiver.requests().size();
        ApiClient.Reply accepted = tenant.emit(signet.api(), Tenant.SEED_EVENT);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        String eventId = accepted.text("id");
        assertThat(eventId).startsWith("evt_");
        assertThat(accepted.json().path("deliveries").asInt()).isEqualTo(1);

        TestReceiver.Received got = receiver.awaitRequests(before + 1, Duration.ofSeconds(20)).get(before);
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.header("webhook-id")).isEqualTo(eventId);
        assertThat(got.header("content-type")).isEqualTo("application/json");
        assertThat(got.header("user-agent")).startsWith("Signet/");
        assertThat(Long.parseLong(got.header("webhook-timestamp"))).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(60L));
        assertThat(got.header("webhook-signature")).startsWith("v1,");

        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(got.header("webhook-id")),
                "webhook-timestamp", List.of(got.header("webhook-timestamp")),
                "webhook-signature", List.of(got.header("webhook-signature")));
        assertThatCode(() -> new Webhook(tenant.secret()).verify(got.bodyText(), headers)).doesNotThrowAnyException();

        JsonNode envelope = Json.parse(got.body());
        assertThat(envelope.path("id").asText()).isEqualTo(eventId);
        assertThat(envelope.path("type").asText()).isEqualTo("order.completed");
        assertThat(envelope.path("resource").asText()).isEqualTo("order");
        assertThat(envelope.path("resource_id").asText()).isEqualTo("ord_lannister_77");
        assertThat(envelope.path("data").path("total_cents").asInt()).isEqualTo(12900);
    }

    @Test
    void theAttemptIsLoggedAsSucceededAndTheMessageLeavesTheQueue() throws Exception {
        ApiClient.Reply accepted = tenant.emit(signet.api(), Tenant.SEED_EVENT);
        String eventId = accepted.text("id");
        var events = signet.events();
        List<Attempt> attempts = Eventually.get(Duration.ofSeconds(20), () -> events.attemptsOf(tenant.workspaceId(), signet.generation(tenant.workspaceId()), eventId),
                a -> !a.isEmpty());
        assertThat(attempts).hasSize(1);
        Attempt a = attempts.getFirst();
        assertThat(a.status()).isEqualTo(Attempt.Status.SUCCEEDED);
        assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
        assertThat(a.attempt()).isEqualTo(1);
        assertThat(a.responseStatus()).isEqualTo(200);
        assertThat(a.endpointId()).isEqualTo(tenant.endpointId());
        assertThat(a.id()).startsWith("att_");
        assertThat(events.getEvent(tenant.workspaceId(), signet.generation(tenant.workspaceId()), eventId)).hasValueSatisfying(e -> {
            assertThat(e.endpointIds()).containsExactly(tenant.endpointId());
            assertThat(e.type()).isEqualTo("order.completed");
        });
        Eventually.get(Duration.ofSeconds(20), () -> Queues.depth(signet.stack().clients().sqs(), signet.stack().resources().deliveryQueueUrl()),
                depth -> depth == 0);
    }
}
