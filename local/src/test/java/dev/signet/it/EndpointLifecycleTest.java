package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.event.Attempt;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing and deleting endpoints (README, "Using the API": credentials; openapi.yaml, endpoints): PATCH validates everything before writing, the
 * admin key may only toggle {@code enabled}, and deleting an endpoint or its workspace ends the
 * deliveries still queued for it cleanly.
 */
class EndpointLifecycleTest {
    /** A 5 s retry leaves time to delete between two attempts; the 1 s cache lets the delete show at the second. */
    @RegisterExtension
    static final Signet signet = new Signet("5s,5s", Map.of("SIGNET_CACHE_TTL_SECONDS", "1"));

    @Test
    void patchChangesEveryFieldAndValidatesAllOfThemBeforeWritingAny() {
        Tenant t = signet.tenant("lannisport", "{\"url\":\"http://127.0.0.1:9/a\",\"description\":\"first\"}");
        String path = "/v1/workspaces/lannisport/endpoints/" + t.endpointId();
        String[][] cases = {
                {"{\"url\":null}", "url"},
                {"{\"url\":\"http://10.0.0.1/x\"}", "url"},
                {"{\"method\":\"GET\"}", "method"},
                {"{\"payload_format\":\"xml\"}", "payload_format"},
                {"{\"timeout_seconds\":0}", "timeout_seconds"},
                {"{\"headers\":{\"Content-Type\":\"text/plain\"}}", "headers"},
                {"{\"event_types\":\"order.completed\"}", "event_types"},
                {"{\"auth\":{\"type\":\"bearer\"}}", "auth.token"},
                {"{\"enabled\":\"yes\"}", "enabled"},
                {"{\"enabled\":null}", "enabled"},
                {"{\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}", "secret"},
                {"{\"colour\":\"red\"}", "colour"},
                // A valid change next to an invalid one: neither is written.
                {"{\"description\":\"second\",\"timeout_seconds\":31}", "timeout_seconds"},
                {"{\"description\":\"second\",\"auth\":{\"type\":\"magic\"}}", "auth.type"},
        };
        for (String[] c : cases) {
            ApiClient.Reply r = signet.api().patch(path, t.sessionToken(), c[0]);
            assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(signet.api().patch(path, t.sessionToken(), "{\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}")
                .json().path("error").path("message").asText()).contains("/secret");
        JsonNode unchanged = signet.api().get(path, t.sessionToken()).json();
        assertThat(unchanged).as("nothing half-written").isEqualTo(((ObjectNode) t.endpoint().deepCopy()).without("secret"));

        ApiClient.Reply changed = signet.api().patch(path, t.sessionToken(), """
                {"url":"http://127.0.0.1:9/b","description":"second","method":"put","payload_format":"raw",
                 "event_types":["order.completed","order.refunded"],"headers":{"X-Team":"billing"},
                 "auth":{"type":"header","name":"X-Api-Key","value":"k-123"},"timeout_seconds":7,"enabled":false}""");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        JsonNode ep = changed.json();
        assertThat(ep.path("url").asText()).isEqualTo("http://127.0.0.1:9/b");
        assertThat(ep.path("description").asText()).isEqualTo("second");
        assertThat(ep.path("method").asText()).isEqualTo("PUT");
        assertThat(ep.path("payload_format").asText()).isEqualTo("raw");
        assertThat(ep.path("event_types").toString()).isEqualTo("[\"order.completed\",\"order.refunded\"]");
        assertThat(ep.path("headers").toString()).isEqualTo("{\"x-team\":\"billing\"}");
        assertThat(ep.path("auth").toString()).isEqualTo("{\"type\":\"header\"}");
        assertThat(ep.path("timeout_seconds").asInt()).isEqualTo(7);
        assertThat(ep.path("enabled").asBoolean()).isFalse();
        assertThat(ep.path("disabled_reason").asText()).isEqualTo("disabled by the workspace");
        assertThat(ep.path("disabled_by").asText()).isEqualTo("workspace");
        assertThat(ep.path("secret_hint").asText()).isEqualTo(t.endpoint().path("secret_hint").asText());
        assertThat(ep.path("created_at").asText()).isEqualTo(t.endpoint().path("created_at").asText());
        assertThat(Instant.parse(ep.path("updated_at").asText())).isAfter(Instant.parse(t.endpoint().path("updated_at").asText()));
        assertThat(changed.body()).doesNotContain("k-123");
        assertThat(signet.api().get(path, t.sessionToken()).json()).as("what PATCH answered is what is stored").isEqualTo(ep);

        // Fields left out keep their values; event_types: null means all events, as on create.
        JsonNode partly = signet.api().patch(path, t.sessionToken(), "{\"event_types\":null,\"enabled\":true}").json();
        assertThat(partly.path("event_types")).isEmpty();
        assertThat(partly.path("enabled").asBoolean()).isTrue();
        assertThat(partly.path("disabled_reason").isNull()).as("enabling clears the reason").isTrue();
        assertThat(partly.path("disabled_by").isNull()).as("and who disabled it").isTrue();
        assertThat(partly.path("description").asText()).isEqualTo("second");
        assertThat(partly.path("auth").path("type").asText()).isEqualTo("header");
    }

    @Test
    void theAdminKeyMayOnlyToggleEnabledAndOtherCredentialsGetNowhere() {
        Tenant t = signet.tenant("harrenhal", "{\"url\":\"http://127.0.0.1:9/a\"}");
        Tenant other = signet.tenant("oldtown", null);
        String path = "/v1/workspaces/harrenhal/endpoints/" + t.endpointId();

        String[][] refused = {
                {"{\"url\":\"http://127.0.0.1:9/b\"}", "url"},
                {"{\"enabled\":false,\"description\":\"x\"}", "description"},
                {"{\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}", "secret"},
                {"{\"auth\":{\"type\":\"none\"}}", "auth"},
        };
        for (String[] c : refused) {
            ApiClient.Reply r = signet.api().patch(path, signet.adminKey(), c[0]);
            assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(403);
            assertThat(r.json().path("error").path("message").asText()).as(c[0]).contains("\"" + c[1] + "\"");
            assertThat(r.json().path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(signet.api().get(path, signet.adminKey()).json().path("enabled").asBoolean()).as("nothing written").isTrue();

        JsonNode off = signet.api().patch(path, signet.adminKey(), "{\"enabled\":false}").json();
        assertThat(off.path("enabled").asBoolean()).isFalse();
        assertThat(off.path("disabled_reason").asText()).isEqualTo("disabled by the operator");
        assertThat(off.path("disabled_by").asText()).isEqualTo("operator");
        JsonNode offAgain = signet.api().patch(path, t.sessionToken(), "{\"enabled\":false}").json();
        assertThat(offAgain.path("disabled_reason").asText()).as("disabling a disabled endpoint keeps why it stopped")
                .isEqualTo("disabled by the operator");
        assertThat(offAgain.path("disabled_by").asText()).isEqualTo("operator");
        assertThat(signet.api().get("/v1/workspaces/harrenhal/endpoints", t.sessionToken()).json().path("data").get(0)
                .path("disabled_by").asText()).as("the list shows it too").isEqualTo("operator");
        JsonNode on = signet.api().patch(path, signet.adminKey(), "{\"enabled\":true}").json();
        assertThat(on.path("enabled").asBoolean()).isTrue();
        assertThat(on.path("disabled_reason").isNull()).isTrue();
        assertThat(on.path("disabled_by").isNull()).isTrue();

        // Another workspace's session learns nothing; an ingest key only sends events.
        assertThat(signet.api().patch(path, other.sessionToken(), "{\"enabled\":false}").status()).isEqualTo(404);
        assertThat(signet.api().delete(path, other.sessionToken()).status()).isEqualTo(404);
        assertThat(signet.api().patch(path, t.ingestKey(), "{\"enabled\":false}").status()).isEqualTo(403);
        assertThat(signet.api().delete(path, t.ingestKey()).status()).isEqualTo(403);
        assertThat(signet.api().patch("/v1/workspaces/harrenhal/endpoints/ep_nope", t.sessionToken(), "{\"enabled\":false}").status()).isEqualTo(404);
        assertThat(signet.api().get(path, t.sessionToken()).json().path("enabled").asBoolean()).isTrue();

        assertThat(signet.api().delete(path, signet.adminKey()).status()).as("the admin key may delete").isEqualTo(204);
        assertThat(signet.api().get(path, t.sessionToken()).status()).isEqualTo(404);
        assertThat(signet.api().delete(path, t.sessionToken()).status()).isEqualTo(404);
    }

    @Test
    void deletingAnEndpointEndsItsQueuedDeliveriesAndRemovesItsCredentials() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(500))) {
            Tenant t = signet.tenant("king-s-landing", Tenant.endpointFor(receiver.url()));
            String eventId = t.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            receiver.awaitRequests(1, Duration.ofSeconds(20));

            ApiClient.Reply deleted = signet.api().delete("/v1/workspaces/king-s-landing/endpoints/" + t.endpointId(), t.sessionToken());
            assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
            assertThat(deleted.body()).isEmpty();
            assertCredentialsGone("king-s-landing", t.endpointId());
            assertThat(signet.api().get("/v1/workspaces/king-s-landing/endpoints", t.sessionToken()).json().path("data")).isEmpty();

            assertDeliveryEndedAsDeleted("king-s-landing", signet.generation("king-s-landing"), eventId, t.endpointId());
            assertThat(receiver.requests()).as("nothing is sent after the delete").hasSize(1);
        }
    }

    @Test
    void deletingAWorkspaceEndsItsEndpointsQueuedDeliveriesAndRemovesTheirCredentials() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(503))) {
            Tenant t = signet.tenant("summerhall", Tenant.endpointFor(receiver.url()));
            ApiClient.Reply second = signet.api().post("/v1/workspaces/summerhall/endpoints", t.sessionToken(), Tenant.endpointFor(receiver.url()));
            assertThat(second.status()).isEqualTo(201);
            String secondId = second.text("id");
            ApiClient.Reply emitted = t.emit(signet.api(), Tenant.SEED_EVENT);
            assertThat(emitted.json().path("deliveries").asInt()).isEqualTo(2);
            receiver.awaitRequests(2, Duration.ofSeconds(20));

            // Its attempts stay under the deleted generation, where only this test still looks.
            String generation = signet.generation("summerhall");
            assertThat(signet.api().delete("/v1/workspaces/summerhall", signet.adminKey()).status()).isEqualTo(204);
            assertThat(signet.api().get("/v1/workspaces/summerhall", signet.adminKey()).status()).isEqualTo(404);
            assertCredentialsGone("summerhall", t.endpointId());
            assertCredentialsGone("summerhall", secondId);

            String eventId = emitted.text("id");
            assertDeliveryEndedAsDeleted("summerhall", generation, eventId, t.endpointId());
            assertDeliveryEndedAsDeleted("summerhall", generation, eventId, secondId);
            assertThat(receiver.requests()).as("nothing is sent after the delete").hasSize(2);
        }
    }

    /** The failed first attempt, then one last attempt that says why and is not retried; the queue drains. */
    private static void assertDeliveryEndedAsDeleted(String workspaceId, String generation, String eventId, String endpointId) {
        List<Attempt> attempts = Eventually.get(Duration.ofSeconds(30), () -> signet.events().attemptsOf(workspaceId, generation, eventId).stream()
                .filter(a -> a.endpointId().equals(endpointId)).toList(), a -> a.size() >= 2);
        assertThat(attempts).hasSize(2);
        Attempt last = attempts.getLast();
        assertThat(last.error()).isEqualTo("endpoint was deleted");
        assertThat(last.status()).isEqualTo(Attempt.Status.FAILED);
        assertThat(last.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.FAILED);
        assertThat(last.nextAttemptAt()).as("not retried").isNull();
        assertThat(last.responseStatus()).as("nothing was sent").isNull();
        Eventually.get(Duration.ofSeconds(30), signet::deliveriesQueueDepth, d -> d == 0);
        assertThat(signet.deadLetterQueueDepth()).isZero();
    }

    /** The endpoint's item, which holds its sealed credentials, is gone (no secret of its own ever existed). */
    private static void assertCredentialsGone(String workspaceId, String endpointId) {
        assertThat(signet.stack().clients().dynamo().getItem(r -> r.tableName(signet.stack().config().configTable())
                .key(java.util.Map.of("pk", AttributeValue.fromS("ws#" + workspaceId), "sk", AttributeValue.fromS("ep#" + endpointId)))
                .consistentRead(true)).hasItem()).as("the endpoint's item").isFalse();
    }
}
