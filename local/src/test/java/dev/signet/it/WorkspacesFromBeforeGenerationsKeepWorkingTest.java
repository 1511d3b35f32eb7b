package dev.signet.it;

import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading: a workspace written by a version without generations (no generation, session epoch or
 * endpoint count on its item, no generation on its ingest key) keeps working: its key ingests under
 * the old keys, its log reads them, sessions are minted and revoked, its existing endpoints are counted
 * the first time a create needs the count, and it deletes.
 */
class WorkspacesFromBeforeGenerationsKeepWorkingTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void aWorkspaceWithoutAGenerationIngestsListsCountsRevokesAndDeletes() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            ApiClient api = signet.api();
            String admin = signet.adminKey();
            Tenant t = signet.tenant("older", Tenant.endpointFor(receiver.url()));
            makeLegacy(t);

            ApiClient.Reply sent = t.emit(api, Tenant.SEED_EVENT);
            assertThat(sent.status()).as(sent.body()).isEqualTo(202);
            assertThat(sent.json().path("deliveries").asInt()).isEqualTo(1);
            receiver.awaitRequests(1, Duration.ofSeconds(20));
            String eventId = sent.text("id");
            assertThat(signet.awaitAttempts("older", eventId, 1)).singleElement().satisfies(a -> assertThat(a.generation()).isEmpty());
            assertThat(api.get("/v1/workspaces/older/events/" + eventId, admin).status()).isEqualTo(200);
            assertThat(api.get("/v1/workspaces/older/attempts", admin).json().path("data")).hasSize(1);

            String session = api.post("/v1/workspaces/older/sessions", admin, "{}").text("token");
            assertThat(api.post("/v1/workspaces/older/endpoints", session, Tenant.endpointFor("http://127.0.0.1:9/second")).status())
                    .as("the count is made from the one endpoint already there").isEqualTo(201);
            assertThat(item("ws#older", "workspace").get("endpoint_count").n()).isEqualTo("2");
            assertThat(api.delete("/v1/workspaces/older/sessions", admin).status()).isEqualTo(204);
            assertThat(api.get("/v1/workspaces/older", session).status()).isEqualTo(401);

            assertThat(api.delete("/v1/workspaces/older", admin).status()).isEqualTo(204);
            assertThat(t.emit(api, Tenant.SEED_EVENT).status()).isEqualTo(401);
            assertThat(api.get("/v1/workspaces/older", admin).status()).isEqualTo(404);
        }
    }

    /**
     * Removes what generations added, as items written by the earlier version look; the endpoint's
     * credentials sealed as for a workspace without a generation (what migrating such an endpoint does).
     */
    private static void makeLegacy(Tenant t) {
        var dynamo = signet.stack().clients().dynamo();
        String table = signet.stack().config().configTable();
        var credentials = signet.credentials("older", t.endpointId());
        String sealed = new dev.signet.core.credentials.CredentialVault(signet.stack().stores().secrets(),
                signet.stack().config().credentialKeySecretId(), java.time.Clock.systemUTC(), Duration.ZERO)
                .seal(new dev.signet.core.credentials.CredentialScope("older", "", t.endpointId()), credentials);
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", s("ws#older"), "sk", s("ep#" + t.endpointId())))
                .updateExpression("SET credentials = :c").expressionAttributeValues(Map.of(":c", s(sealed))));
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", s("ws#older"), "sk", s("workspace")))
                .updateExpression("REMOVE generation, session_epoch, endpoint_count"));
        String hash = item("ws#older", "workspace").get("ingest_key_hash").s();
        dynamo.updateItem(r -> r.tableName(table).key(Map.of("pk", s("ikey#" + hash), "sk", s("ikey")))
                .updateExpression("REMOVE generation"));
    }

    private static Map<String, AttributeValue> item(String pk, String sk) {
        return signet.stack().clients().dynamo().getItem(r -> r.tableName(signet.stack().config().configTable())
                .key(Map.of("pk", s(pk), "sk", s(sk))).consistentRead(true)).item();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }
}
