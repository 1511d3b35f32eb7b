package dev.signet.it;

import dev.signet.core.aws.DynamoConfigStore;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.event.Attempt;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6 through the API: a URL that reaches a private network is a clear 400 when an endpoint is
 * saved, and a stored URL that now reaches one (here written straight into the table, as if its DNS
 * had changed) fails its attempt with the reason and is abandoned, not retried. Local mode allows
 * http and 127.0.0.0/8, so the hostile URLs use other private ranges.
 */
class WebhookUrlsAreGuardedWhenSavedAndSentTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    static final List<String> HOSTILE = List.of(
            "http://10.0.0.1/hook", "https://10.1/hook", "http://172.16.0.1/", "http://192.168.1.1:8080/",
            "http://169.254.169.254/latest/meta-data/", "http://2852039166/", "http://0xa9.0xfe.0xa9.0xfe/",
            "http://100.64.0.1/", "http://198.18.0.1/", "http://0.0.0.0:8080/", "http://[::1]/", "http://[fd00:ec2::254]/",
            "http://[::ffff:10.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[::ffff:0:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/",
            "http://[::ffff:0:a00:1]/", "http://[fe80::1]/",
            "http://[fc00::1]/", "http://224.0.0.1/", "http://0177.0.0.1/", "http://user:pass@127.0.0.1:9/",
            "ftp://127.0.0.1/", "http://127.0.0.1:9/#frag");

    @Test
    void aUrlThatReachesAPrivateNetworkIsA400WhenSaved() {
        Tenant t = signet.tenant("guard-save", null);
        List<String> wrong = new ArrayList<>();
        for (String url : HOSTILE) {
            ApiClient.Reply create = signet.api().post("/v1/workspaces/guard-save/endpoints", t.sessionToken(), Tenant.endpointFor(url));
            if (create.status() != 400 || !create.json().path("error").path("field").asText().equals("url")) {
                wrong.add(url + " -> " + create.status() + " " + create.body());
            }
        }
        assertThat(wrong).isEmpty();

        Tenant ok = signet.tenant("guard-patch", Tenant.endpointFor("http://127.0.0.1:9/hook"));
        ApiClient.Reply patch = signet.api().send("PATCH", "/v1/workspaces/guard-patch/endpoints/" + ok.endpointId(),
                ok.sessionToken(), java.util.Map.of(), "{\"url\":\"http://169.254.169.254/\"}".getBytes());
        assertThat(patch.status()).as(patch.body()).isEqualTo(400);
        assertThat(patch.json().path("error").path("message").asText()).contains("169.254.169.254").contains("may not reach");
    }

    @Test
    void aStoredUrlThatNowReachesAPrivateAddressFailsWithTheReasonAndIsNotRetried() {
        Tenant t = signet.tenant("guard-send", Tenant.endpointFor("http://127.0.0.1:9/hook"));
        DynamoConfigStore store = new DynamoConfigStore(signet.stack().clients().dynamo(), signet.stack().config().configTable());
        Endpoint saved = store.get(t.workspaceId(), t.endpointId()).orElseThrow();
        Endpoint internal = new Endpoint(saved.id(), saved.workspaceId(), "http://10.20.30.40/hook", saved.description(), saved.method(),
                saved.payloadFormat(), saved.eventTypes(), saved.headers(), saved.authType(), saved.timeoutSeconds(), saved.enabled(),
                saved.disabledReason(), saved.credentials(), saved.createdAt(), saved.updatedAt());
        assertThat(store.replace(saved, internal)).isTrue();

        String eventId = t.emit(signet.api(), Tenant.SEED_EVENT).text("id");
        List<Attempt> attempts = signet.awaitAttempts(t.workspaceId(), eventId, 1);

        assertThat(attempts).hasSize(1);
        Attempt first = attempts.getFirst();
        assertThat(first.status()).isEqualTo(Attempt.Status.FAILED);
        assertThat(first.error()).contains("10.20.30.40").contains("which webhooks may not reach");
        assertThat(first.nextAttemptAt()).as("not retried").isNull();
        assertThat(first.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.FAILED);
        // abandoned, so nothing is left in the queue to retry
        signet.awaitDeliveriesDrained();
        assertThat(signet.attempts(t.workspaceId(), eventId)).hasSize(1);
        assertThat(signet.deadLetterQueueDepth()).isZero();
    }

    /**
     * Local mode lets receivers use loopback, but not its own ports: an endpoint on ElasticMQ could read
     * other workspaces' queued payloads and queue forged deliveries, one on moto could read the tables,
     * one on the API could call it. Each is a 400 naming url, whatever loopback spelling is used.
     */
    @Test
    void localModesOwnPortsAreNotReceivers() {
        Tenant t = signet.tenant("guard-ports", null);
        var stack = signet.stack();
        List<Integer> own = List.of(stack.port(), stack.emulators().dynamoAndSecretsEndpoint().getPort(),
                stack.emulators().sqsEndpoint().getPort());
        List<String> wrong = new ArrayList<>();
        for (int port : own) {
            for (String host : List.of("127.0.0.1", "127.0.0.2", "2130706433", "[::ffff:127.0.0.1]")) {
                String url = "http://" + host + ":" + port + "/000000000000/queue";
                ApiClient.Reply create = signet.api().post("/v1/workspaces/guard-ports/endpoints", t.sessionToken(), Tenant.endpointFor(url));
                if (create.status() != 400 || !create.json().path("error").path("field").asText().equals("url")
                        || !create.json().path("error").path("message").asText().contains("local mode's own ports")) {
                    wrong.add(url + " -> " + create.status() + " " + create.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        // Another loopback port is still a receiver.
        assertThat(signet.api().post("/v1/workspaces/guard-ports/endpoints", t.sessionToken(),
                Tenant.endpointFor("http://127.0.0.1:9/hook")).status()).isEqualTo(201);
    }
}
