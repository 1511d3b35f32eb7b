package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: deleting a workspace ends its credentials at once and makes its data unreachable, so a
 * workspace created again with the same id (README uses external ids such as {@code casterly}) starts
 * empty: the old session, the old ingest key, the old events and attempts and the old Idempotency-Key
 * records reach nothing of it, and the old owner's endpoint gets none of the new owner's events.
 */
class ARecreatedWorkspaceStartsEmptyTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    @Test
    void nothingOfTheDeletedWorkspaceReachesTheOneCreatedWithItsId() throws Exception {
        try (TestReceiver oldReceiver = new TestReceiver(); TestReceiver newReceiver = new TestReceiver()) {
            ApiClient api = signet.api();
            String admin = signet.adminKey();
            Tenant old = signet.tenant("reused", Tenant.endpointFor(oldReceiver.url()));
            ApiClient.Reply first = old.emit(api, Tenant.SEED_EVENT, Map.of("Idempotency-Key", "order-77"));
            assertThat(first.status()).as(first.body()).isEqualTo(202);
            String oldEvent = first.text("id");
            oldReceiver.awaitRequests(1, Duration.ofSeconds(20));
            signet.awaitAttempts("reused", oldEvent, 1);

            assertThat(api.delete("/v1/workspaces/reused", admin).status()).isEqualTo(204);

            // Credentials end at once, without waiting for anything to expire.
            assertThat(api.get("/v1/workspaces/reused", old.sessionToken()).status()).as("old session").isEqualTo(401);
            assertThat(old.emit(api, Tenant.SEED_EVENT).status()).as("old ingest key").isEqualTo(401);

            ApiClient.Reply recreated = api.post("/v1/workspaces", admin, "{\"name\":\"Someone else\",\"id\":\"reused\"}");
            assertThat(recreated.status()).as(recreated.body()).isEqualTo(201);
            String newKey = recreated.text("ingest_key");
            String newSession = api.post("/v1/workspaces/reused/sessions", admin, "{}").text("token");

            // The old session reads, writes and lists nothing of the new workspace.
            assertThat(api.get("/v1/workspaces/reused", old.sessionToken()).status()).isEqualTo(401);
            assertThat(api.get("/v1/workspaces/reused/attempts", old.sessionToken()).status()).isEqualTo(401);
            assertThat(api.post("/v1/workspaces/reused/endpoints", old.sessionToken(), Tenant.endpointFor(oldReceiver.url())).status())
                    .as("the old session cannot plant an endpoint in the new workspace").isEqualTo(401);
            assertThat(old.emit(api, Tenant.SEED_EVENT).status()).as("the old ingest key").isEqualTo(401);

            // The new owner sees none of the old data, with its session or with the admin key.
            for (String credential : new String[] {newSession, admin}) {
                assertThat(api.get("/v1/workspaces/reused/endpoints", credential).json().path("data")).as("endpoints").isEmpty();
                assertThat(api.get("/v1/workspaces/reused/attempts", credential).json().path("data")).as("attempts").isEmpty();
                assertThat(api.get("/v1/workspaces/reused/events/" + oldEvent, credential).status()).as("the old event").isEqualTo(404);
                assertThat(api.post("/v1/workspaces/reused/events/" + oldEvent + "/retry", credential, "{}").status())
                        .as("retrying the old event").isEqualTo(404);
            }

            // The old Idempotency-Key, with the same body, is a new request: a new event, not the old answer.
            ApiClient.Reply again = api.send("POST", "/v1/events", newKey, Map.of("Idempotency-Key", "order-77"),
                    Tenant.SEED_EVENT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(again.status()).as(again.body()).isEqualTo(202);
            assertThat(again.text("id")).isNotEqualTo(oldEvent);
            assertThat(again.json().path("deliveries").asInt()).as("the new workspace has no endpoint yet").isZero();

            // The new owner's events go to the new owner's endpoints only.
            ApiClient.Reply endpoint = api.post("/v1/workspaces/reused/endpoints", newSession, Tenant.endpointFor(newReceiver.url()));
            assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
            ApiClient.Reply sent = api.post("/v1/events", newKey, Tenant.SEED_EVENT);
            assertThat(sent.json().path("deliveries").asInt()).isEqualTo(1);
            newReceiver.awaitRequests(1, Duration.ofSeconds(20));
            signet.awaitDeliveriesDrained();
            assertThat(oldReceiver.requests()).as("the old owner's endpoint got nothing more").hasSize(1);
            JsonNode log = api.get("/v1/workspaces/reused/attempts", newSession).json().path("data");
            assertThat(log).hasSize(1);
            assertThat(log.get(0).path("event_id").asText()).isEqualTo(sent.text("id"));
        }
    }
}
