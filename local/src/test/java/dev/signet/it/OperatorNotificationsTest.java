package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operator notifications (issue 5, item 6): with SIGNET_OPERATOR_WORKSPACE set, a dead-lettered
 * delivery and a disabled endpoint become signed events of that workspace, delivered to its endpoints
 * through the same pipeline; the operator workspace's own failures notify nobody (no loop).
 */
class OperatorNotificationsTest {
    // Two attempts in all: the second failure dead-letters.
    @RegisterExtension
    static final Signet signet = new Signet("1s", Map.of("SIGNET_OPERATOR_WORKSPACE", "ops"));

    @Test
    void deadLettersAndDisabledEndpointsReachTheOperatorSignedAndTheOperatorsOwnFailuresDoNotLoop() throws Exception {
        try (TestReceiver operator = new TestReceiver();
             TestReceiver brokenOperator = new TestReceiver().answering(n -> TestReceiver.Reply.status(503));
             TestReceiver failing = new TestReceiver().answering(n -> TestReceiver.Reply.status(503));
             TestReceiver gone = new TestReceiver().answering(n -> TestReceiver.Reply.status(410))) {
            Tenant ops = signet.tenant("ops", Tenant.endpointFor(operator.url()));
            ops.addEndpoint(signet.api(), Tenant.endpointFor(brokenOperator.url()));
            Tenant customer = signet.tenant("acme", Tenant.endpointFor(failing.url()));

            // A delivery that keeps failing is dead-lettered: the operator hears of it, signed.
            String eventId = customer.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            failing.awaitRequests(2, Duration.ofSeconds(20));
            TestReceiver.Received deadLettered = operator.awaitRequests(1, Duration.ofSeconds(20)).getFirst();
            deadLettered.verify(ops.secret());
            JsonNode body = Json.parse(deadLettered.body());
            assertThat(body.path("type").asText()).isEqualTo("delivery.dead_lettered");
            assertThat(body.path("resource").asText()).isEqualTo("endpoint");
            assertThat(body.path("resource_id").asText()).isEqualTo(customer.endpointId());
            JsonNode data = body.path("data");
            assertThat(data.path("workspace_id").asText()).isEqualTo("acme");
            assertThat(data.path("endpoint_id").asText()).isEqualTo(customer.endpointId());
            assertThat(data.path("event_id").asText()).isEqualTo(eventId);
            assertThat(data.path("event").asText()).isEqualTo("order.completed");
            assertThat(data.path("attempts").asInt()).isEqualTo(2);
            assertThat(data.path("last_response_status").asInt()).isEqualTo(503);

            // A 410 disables an endpoint: the operator hears of that too, once.
            Tenant goneTenant = signet.tenant("gone-co", Tenant.endpointFor(gone.url()));
            goneTenant.emit(signet.api(), Tenant.SEED_EVENT);
            goneTenant.emit(signet.api(), Tenant.SEED_EVENT);
            List<TestReceiver.Received> heard = operator.awaitRequests(2, Duration.ofSeconds(20));
            JsonNode disabled = Json.parse(heard.get(1).body());
            heard.get(1).verify(ops.secret());
            assertThat(disabled.path("type").asText()).isEqualTo("endpoint.disabled");
            assertThat(disabled.path("data").path("workspace_id").asText()).isEqualTo("gone-co");
            assertThat(disabled.path("data").path("endpoint_id").asText()).isEqualTo(goneTenant.endpointId());
            assertThat(disabled.path("data").path("reason").asText()).contains("410");

            // The broken operator endpoint got both notifications, failed twice each and was dead-lettered
            // itself, which notifies nobody: the healthy operator endpoint heard exactly two things.
            brokenOperator.awaitRequests(4, Duration.ofSeconds(20));
            Eventually.get(Duration.ofSeconds(20), signet::deadLetterQueueDepth, d -> d >= 3);
            signet.awaitDeliveriesDrained();
            assertThat(operator.requests()).hasSize(2);
            assertThat(brokenOperator.requests()).hasSize(4);
        }
    }
}
