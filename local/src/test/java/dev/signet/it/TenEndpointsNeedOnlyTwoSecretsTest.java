package dev.signet.it;

import dev.signet.core.log.Log;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint credentials live sealed in the endpoints' own items (ARCHITECTURE.md, "Credentials"): a
 * deployment with ten endpoints holds two Secrets Manager secrets, the admin key and the
 * key-encryption key, as one with a single endpoint does, and every endpoint's deliveries verify with
 * its own secret.
 */
class TenEndpointsNeedOnlyTwoSecretsTest {
    @Test
    void tenEndpointsTwoSecretsAndEveryDeliveryVerifies() throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        try (SignetStack stack = SignetStack.builder().retrySchedule("1s").adminKeyInSecretsManager().start();
             TestReceiver receiver = new TestReceiver()) {
            ApiClient api = stack.api();
            Tenant t = Tenant.create(api, stack.adminKey(), "tenfold", null);
            Map<String, String> secretByPath = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                // Half with a generated secret, half with one of their own; some with outbound auth.
                String body = i % 2 == 0 ? "{\"url\":\"" + receiver.url() + "/" + i + "\",\"auth\":{\"type\":\"bearer\",\"token\":\"tok-" + i + "\"}}"
                        : "{\"url\":\"" + receiver.url() + "/" + i + "\",\"secret\":\"whsec_" + java.util.Base64.getEncoder()
                        .encodeToString(("the-secret-of-endpoint-number-" + i).getBytes()) + "\"}";
                ApiClient.Reply created = api.post("/v1/workspaces/tenfold/endpoints", t.sessionToken(), body);
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                String secret = created.json().has("secret") ? created.text("secret")
                        : "whsec_" + java.util.Base64.getEncoder().encodeToString(("the-secret-of-endpoint-number-" + i).getBytes());
                secretByPath.put("/hooks/" + i, secret);
            }

            for (int e = 0; e < 3; e++) {
                assertThat(t.emit(api, Tenant.SEED_EVENT).json().path("deliveries").asInt()).isEqualTo(10);
            }
            List<TestReceiver.Received> received = receiver.awaitRequests(30, Duration.ofSeconds(30));
            for (TestReceiver.Received r : received) {
                r.verify(secretByPath.get(r.path())); // throws unless it was signed with that endpoint's own secret
            }
            assertThat(received).extracting(TestReceiver.Received::path).containsOnlyElementsOf(secretByPath.keySet());

            String prefix = stack.resources().prefix() + "/";
            List<String> secrets = stack.clients().secrets().listSecretsPaginator(r -> { }).stream()
                    .flatMap(page -> page.secretList().stream()).map(SecretListEntry::name).filter(n -> n.startsWith(prefix)).toList();
            assertThat(secrets).as("the deployment's Secrets Manager secrets")
                    .containsExactlyInAnyOrder(prefix + "admin-key", prefix + "credential-key");

            List<Map<String, AttributeValue>> endpoints = stack.clients().dynamo().scanPaginator(ScanRequest.builder()
                    .tableName(stack.config().configTable()).build()).items().stream()
                    .filter(i -> i.get("sk").s().startsWith("ep#")).toList();
            assertThat(endpoints).hasSize(10).allSatisfy(i -> {
                assertThat(i.get("credentials").s()).as("sealed under the current key").startsWith("k1.");
                assertThat(i).doesNotContainKey("secret_id");
            });
        } finally {
            Log.redirect(System.out);
        }
    }
}
