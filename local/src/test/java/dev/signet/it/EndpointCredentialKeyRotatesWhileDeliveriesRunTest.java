package dev.signet.it;

import dev.signet.core.credentials.KeyEncryptionKeys;
import dev.signet.core.log.Log;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.signet.it.OpsToolRedrivesTheDeadLetterQueueTest.ops;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotating the key-encryption key (README.md, "Credential keys"): {@code signet credentials rotate-key}
 * re-seals every endpoint under a new key while events keep flowing and the portal keeps changing
 * endpoints; every delivery made before, during and after it verifies with its endpoint's secret and
 * none fails for its credentials; {@code retire-keys} then leaves only the new key in the secret.
 */
class EndpointCredentialKeyRotatesWhileDeliveriesRunTest {
    private static final int ENDPOINTS = 6;

    @Test
    void everyDeliveryVerifiesWhileTheKeyRotatesAndTheOldKeyIsRetired() throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        // Instances keep the key set 2 s here (15 min by default), so retiring may follow within seconds.
        try (SignetStack stack = SignetStack.builder().retrySchedule("1s,1s").env("SIGNET_CREDENTIAL_KEY_CACHE_SECONDS", "2").start();
             TestReceiver receiver = new TestReceiver()) {
            ApiClient api = stack.api();
            Tenant t = Tenant.create(api, stack.adminKey(), "keyring", null);
            Map<String, String> secretByPath = new HashMap<>();
            List<String> endpointIds = new ArrayList<>();
            for (int i = 0; i < ENDPOINTS; i++) {
                ApiClient.Reply created = api.post("/v1/workspaces/keyring/endpoints", t.sessionToken(),
                        "{\"url\":\"" + receiver.url() + "/" + i + "\",\"auth\":{\"type\":\"header\",\"name\":\"x-key\",\"value\":\"v-" + i + "\"}}");
                assertThat(created.status()).as(created.body()).isEqualTo(201);
                secretByPath.put("/hooks/" + i, created.text("secret"));
                endpointIds.add(created.text("id"));
            }
            String table = stack.config().configTable();
            String keySecret = stack.config().credentialKeySecretId();
            String moto = stack.emulators().dynamoAndSecretsEndpoint().toString();

            AtomicBoolean emitting = new AtomicBoolean(true);
            AtomicInteger emitted = new AtomicInteger();
            Thread producer = Thread.ofVirtual().start(() -> {
                while (emitting.get()) {
                    if (t.emit(api, Tenant.SEED_EVENT).status() == 202) {
                        emitted.incrementAndGet();
                    }
                    pace();
                }
            });
            // Meanwhile the portal edits an endpoint: a change read before the re-sealing must not undo it.
            Thread portal = Thread.ofVirtual().start(() -> {
                for (int n = 0; emitting.get(); n++) {
                    api.patch("/v1/workspaces/keyring/endpoints/" + endpointIds.getFirst(), t.sessionToken(), "{\"description\":\"edit " + n + "\"}");
                    pace();
                }
            });
            receiver.awaitRequests(ENDPOINTS * 3, Duration.ofSeconds(30));

            var rotated = ops("credentials", "rotate-key", "--config-table", table, "--key-secret", keySecret, "--aws-endpoint-url", moto);
            assertThat(rotated.exit()).as(rotated.out() + rotated.err()).isZero();
            assertThat(rotated.out()).contains("key k2 is current").contains("none is under another key");
            int before = receiver.requests().size();
            receiver.awaitRequests(before + ENDPOINTS * 3, Duration.ofSeconds(30)); // deliveries go on under the new key

            // Retiring waits until no instance can still seal with k1 (their 2 s cache); it says so until then.
            var retired = Eventually.get(Duration.ofSeconds(30), () -> ops("credentials", "retire-keys", "--config-table", table,
                    "--key-secret", keySecret, "--aws-endpoint-url", moto, "--key-cache-seconds", "2"), r -> r.exit() == 0);
            assertThat(retired.out()).contains("retired k1").contains("holds only k2");
            emitting.set(false);
            producer.join();
            portal.join();
            Eventually.get(Duration.ofSeconds(60), () -> receiver.requests().size(), n -> n >= emitted.get() * ENDPOINTS);
            Eventually.get(Duration.ofSeconds(30), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl()), d -> d == 0);

            List<TestReceiver.Received> received = receiver.requests();
            assertThat(received).hasSize(emitted.get() * ENDPOINTS);
            for (TestReceiver.Received r : received) {
                r.verify(secretByPath.get(r.path()));
                assertThat(r.header("x-key")).isEqualTo("v-" + r.path().substring("/hooks/".length()));
            }
            List<Map<String, AttributeValue>> attempts = stack.clients().dynamo().scanPaginator(ScanRequest.builder()
                    .tableName(stack.config().eventsTable()).consistentRead(true).build()).items().stream()
                    .filter(i -> i.get("sk").s().startsWith("att#")).toList();
            assertThat(attempts).as("one attempt per delivery").hasSize(emitted.get() * ENDPOINTS);
            assertThat(attempts).as("no attempt failed, for its credentials or anything else")
                    .allSatisfy(a -> assertThat(a.get("status").s()).as(String.valueOf(a.get("error"))).isEqualTo("succeeded"));

            KeyEncryptionKeys keys = KeyEncryptionKeys.parse(stack.clients().secrets().getSecretValue(r -> r.secretId(keySecret)).secretString());
            assertThat(keys.ids()).containsExactly("k2");
            assertThat(stack.clients().dynamo().scanPaginator(ScanRequest.builder().tableName(table).build()).items().stream()
                    .filter(i -> i.get("sk").s().startsWith("ep#")).map(i -> i.get("credentials").s()))
                    .hasSize(ENDPOINTS).allMatch(c -> c.startsWith("k2."));
            assertThat(Signet.credentialsOf(stack, "keyring", endpointIds.getFirst()).current().reveal())
                    .isEqualTo(secretByPath.get("/hooks/0"));
        } finally {
            Log.redirect(System.out);
        }
    }

    /** A steady trickle of traffic rather than a flood (the machine runs the whole stack). */
    private static void pace() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
