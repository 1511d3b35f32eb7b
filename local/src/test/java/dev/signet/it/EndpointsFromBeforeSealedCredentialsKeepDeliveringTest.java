package dev.signet.it;

import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.log.Log;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.signet.it.OpsToolRedrivesTheDeadLetterQueueTest.ops;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading from 0.1 (README.md, "Upgrading from 0.1"): endpoints whose credentials are still in a
 * Secrets Manager secret of their own keep delivering, signed with their secret; a change of their
 * credentials seals them into the item (migrated on write); {@code signet credentials migrate} seals
 * the rest and deletes every per-endpoint secret, also those of endpoints deleted since, and running it
 * again changes nothing.
 */
class EndpointsFromBeforeSealedCredentialsKeepDeliveringTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @BeforeAll
    static void quiet() {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void loud() {
        Log.redirect(System.out);
    }

    @Test
    void legacyEndpointsDeliverAreMigratedOnWriteAndByTheOpsToolAndTheirSecretsGo() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            ApiClient api = signet.api();
            Tenant t = signet.tenant("oldtown", null);
            List<String> ids = new ArrayList<>();
            List<WebhookSecret> secrets = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = t.addEndpoint(api, Tenant.endpointFor(receiver.url() + "/" + i));
                WebhookSecret secret = WebhookSecret.generate();
                makeLegacy(id, EndpointCredentials.of(secret, new OutboundAuth.Header("x-citadel", "maester-" + i)));
                ids.add(id);
                secrets.add(secret);
            }
            // A 0.1 endpoint deleted after the upgrade: its own secret is left behind.
            String orphan = legacySecretId("ep_01KDELETEDAFTERTHEUPGRADE0");
            signet.stack().clients().secrets().createSecret(r -> r.name(orphan).secretString(
                    EndpointCredentials.of(WebhookSecret.generate(), new OutboundAuth.None()).toJson()));

            // They deliver, signed with the secret in their own secret, with its auth header.
            t.emit(api, Tenant.SEED_EVENT);
            verifyAll(receiver.awaitRequests(3, Duration.ofSeconds(30)), secrets, "maester-");

            // A new auth credential (and a rotation with grace) seals the credentials into the item.
            assertThat(api.patch("/v1/workspaces/oldtown/endpoints/" + ids.get(0), t.sessionToken(),
                    "{\"auth\":{\"type\":\"header\",\"name\":\"x-citadel\",\"value\":\"maester-0\"}}").status()).isEqualTo(200);
            assertThat(api.post("/v1/workspaces/oldtown/endpoints/" + ids.get(1) + "/secret", t.sessionToken(), "{\"grace_seconds\":3600}")
                    .status()).isEqualTo(200);
            assertThat(item(ids.get(0))).containsKey("credentials").doesNotContainKey("secret_id");
            assertThat(item(ids.get(1))).containsKey("credentials").doesNotContainKey("secret_id");
            assertThat(item(ids.get(2))).containsKey("secret_id").doesNotContainKey("credentials");
            assertThat(signet.credentials("oldtown", ids.get(0)).current()).isEqualTo(secrets.get(0));

            var table = signet.stack().config().configTable();
            var keySecret = signet.stack().config().credentialKeySecretId();
            var moto = signet.stack().emulators().dynamoAndSecretsEndpoint().toString();
            var migrated = ops("credentials", "migrate", "--config-table", table, "--key-secret", keySecret, "--aws-endpoint-url", moto);
            assertThat(migrated.exit()).as(migrated.out() + migrated.err()).isZero();
            assertThat(migrated.out()).contains("sealed the credentials of 1 endpoints").contains("deleted 4 endpoint secrets");
            for (String id : ids) {
                assertThat(item(id)).containsKey("credentials").doesNotContainKey("secret_id");
            }
            assertThat(secretNames()).as("only the key-encryption key is left").containsExactly(keySecret);

            var again = ops("credentials", "migrate", "--config-table", table, "--key-secret", keySecret, "--aws-endpoint-url", moto);
            assertThat(again.exit()).isZero();
            assertThat(again.out()).contains("sealed the credentials of 0 endpoints").contains("deleted 0 endpoint secrets");

            // Still the same secrets (the rotated one with the old one in grace) and auth headers.
            t.emit(api, Tenant.SEED_EVENT);
            List<TestReceiver.Received> after = receiver.awaitRequests(6, Duration.ofSeconds(30)).subList(3, 6);
            for (TestReceiver.Received r : after) {
                int i = Integer.parseInt(r.path().substring("/hooks/".length()));
                r.verify(secrets.get(i).reveal());
                assertThat(r.header("x-citadel")).isEqualTo("maester-" + i);
            }
        }
    }

    /** Rewrites an endpoint item as version 0.1 stored it: no sealed credentials, the id of its own secret. */
    private static void makeLegacy(String endpointId, EndpointCredentials credentials) {
        String secretId = legacySecretId(endpointId);
        signet.stack().clients().secrets().createSecret(r -> r.name(secretId).secretString(credentials.toJson()));
        signet.stack().clients().dynamo().updateItem(r -> r.tableName(signet.stack().config().configTable()).key(key(endpointId))
                .updateExpression("REMOVE credentials SET secret_id = :id, secret_hint = :hint, auth_type = :auth")
                .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(secretId),
                        ":hint", AttributeValue.fromS(credentials.current().hint()), ":auth", AttributeValue.fromS("header"))));
    }

    private static void verifyAll(List<TestReceiver.Received> received, List<WebhookSecret> secrets, String authPrefix) throws Exception {
        for (TestReceiver.Received r : received) {
            int i = Integer.parseInt(r.path().substring("/hooks/".length()));
            r.verify(secrets.get(i).reveal());
            assertThat(r.header("x-citadel")).isEqualTo(authPrefix + i);
        }
    }

    private static String legacySecretId(String endpointId) {
        return signet.stack().resources().prefix() + "/endpoints/oldtown/" + endpointId;
    }

    private static Map<String, AttributeValue> key(String endpointId) {
        return Map.of("pk", AttributeValue.fromS("ws#oldtown"), "sk", AttributeValue.fromS("ep#" + endpointId));
    }

    private static Map<String, AttributeValue> item(String endpointId) {
        return signet.stack().clients().dynamo().getItem(r -> r.tableName(signet.stack().config().configTable()).key(key(endpointId))
                .consistentRead(true)).item();
    }

    private static List<String> secretNames() {
        String prefix = signet.stack().resources().prefix() + "/";
        return signet.stack().clients().secrets().listSecretsPaginator(r -> { }).stream().flatMap(p -> p.secretList().stream())
                .map(SecretListEntry::name).filter(n -> n.startsWith(prefix)).toList();
    }
}
