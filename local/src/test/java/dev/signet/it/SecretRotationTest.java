package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.signet.core.json.Json;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotating an endpoint's signing secret (README, "What a delivery looks like"; openapi.yaml, endpoints): during the grace period every request is
 * signed with both secrets, so a receiver holding either one verifies it with the official Standard
 * Webhooks library; afterwards only the new one signs.
 */
class SecretRotationTest {
    /** Deliveries cache credentials for this long; a rotation reaches them within it. */
    private static final Duration CACHE_TTL = Duration.ofSeconds(1);
    /** Long enough to deliver inside it on a busy machine, short enough to wait out. */
    private static final int GRACE_SECONDS = 8;

    @RegisterExtension
    static final Signet signet = new Signet("1s", Map.of("SIGNET_CACHE_TTL_SECONDS", Long.toString(CACHE_TTL.toSeconds())));

    @Test
    void bothSecretsSignDuringTheGracePeriodThenOnlyTheNewOne() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("casterly-rock", Tenant.endpointFor(receiver.url()));
            String old = t.secret();
            TestReceiver.Received before = deliverOne(t, receiver, 1);
            assertThat(signatures(before)).hasSize(1);
            before.verify(old);

            Instant rotatedBy = Instant.now();
            ApiClient.Reply rotated = rotate(t, t.sessionToken(), "{\"grace_seconds\":" + GRACE_SECONDS + "}");
            Instant rotatedAfter = Instant.now();
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            String fresh = rotated.text("secret");
            assertThat(fresh).as("a generated secret is shown once").startsWith("whsec_").isNotEqualTo(old);
            assertThat(rotated.text("secret_hint")).isEqualTo(hintOf(fresh));
            assertThat(endpoint(t).path("secret_hint").asText()).isEqualTo(hintOf(fresh));
            JsonNode stored = storedSigning(t);
            assertThat(stored).hasSize(2);
            assertThat(stored.get(0).has("not_after")).as("the new secret is current").isFalse();
            Instant notAfter = Instant.parse(stored.get(1).path("not_after").asText());
            assertThat(notAfter).isBetween(rotatedBy.plusSeconds(GRACE_SECONDS).minusSeconds(1), rotatedAfter.plusSeconds(GRACE_SECONDS));

            sleepUntil(rotatedAfter.plus(CACHE_TTL).plusMillis(300));
            TestReceiver.Received during = deliverOne(t, receiver, 2);
            assertThat(Instant.ofEpochSecond(Long.parseLong(during.header("webhook-timestamp")))).isBefore(notAfter);
            assertThat(signatures(during)).as(during.header("webhook-signature")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
            during.verify(old);
            during.verify(fresh);

            sleepUntil(notAfter.plus(CACHE_TTL).plusMillis(300));
            TestReceiver.Received after = deliverOne(t, receiver, 3);
            assertThat(signatures(after)).as(after.header("webhook-signature")).hasSize(1);
            after.verify(fresh);
            assertThatThrownBy(() -> after.verify(old)).isInstanceOf(WebhookVerificationException.class);

            // The next rotation drops the secret whose grace has ended from the stored list.
            ApiClient.Reply again = rotate(t, t.sessionToken(), "{\"grace_seconds\":600}");
            assertThat(again.status()).isEqualTo(200);
            JsonNode list = storedSigning(t);
            assertThat(list).hasSize(2);
            assertThat(list.get(1).path("secret").asText()).isEqualTo(fresh);
            assertThat(Json.write(list)).doesNotContain(old);
        }
    }

    @Test
    void aSuppliedSecretIsNotEchoedAndGraceZeroRetiresTheOldOneAtOnce() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("dragonstone", Tenant.endpointFor(receiver.url()));
            String supplied = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

            ApiClient.Reply rotated = rotate(t, t.sessionToken(), "{\"secret\":\"" + supplied + "\",\"grace_seconds\":0}");
            Instant rotatedAfter = Instant.now();
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            assertThat(rotated.json().has("secret")).as("a supplied secret is never echoed").isFalse();
            assertThat(rotated.text("secret_hint")).isEqualTo("whsec_\u2026LaSw");
            assertThat(storedSigning(t)).hasSize(1);

            sleepUntil(rotatedAfter.plus(CACHE_TTL).plusMillis(300));
            TestReceiver.Received r = deliverOne(t, receiver, 1);
            assertThat(signatures(r)).hasSize(1);
            r.verify(supplied);
            assertThatThrownBy(() -> r.verify(t.secret())).isInstanceOf(WebhookVerificationException.class);
        }
    }

    @Test
    void sixRotationsWithAWeekOfGraceLeaveAtMostThreeSignatures() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("the-eyrie", Tenant.endpointFor(receiver.url()));
            List<String> secrets = new java.util.ArrayList<>(List.of(t.secret()));
            Instant rotatedAfter = null;
            for (int i = 0; i < 6; i++) {
                ApiClient.Reply rotated = rotate(t, t.sessionToken(), "{\"grace_seconds\":604800}");
                rotatedAfter = Instant.now();
                assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
                secrets.add(rotated.text("secret"));
            }
            assertThat(storedSigning(t)).as("the stored list is capped too").hasSize(3);

            sleepUntil(rotatedAfter.plus(CACHE_TTL).plusMillis(300));
            TestReceiver.Received r = deliverOne(t, receiver, 1);
            assertThat(signatures(r)).as(r.header("webhook-signature")).hasSize(3);
            for (String newest : secrets.subList(secrets.size() - 3, secrets.size())) {
                r.verify(newest);
            }
            for (String retired : secrets.subList(0, secrets.size() - 3)) {
                assertThatThrownBy(() -> r.verify(retired)).as("a secret retired by the cap").isInstanceOf(WebhookVerificationException.class);
            }
        }
    }

    @Test
    void onlyTheWorkspacesSessionRotatesAndBadInputNamesTheField() {
        Tenant t = signet.tenant("storms-end", "{\"url\":\"http://127.0.0.1:9/x\"}");
        Tenant other = signet.tenant("sunspear", null);
        String hint = t.endpoint().path("secret_hint").asText();
        JsonNode signing = storedSigning(t);

        ApiClient.Reply admin = rotate(t, signet.adminKey(), "{}");
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.json().path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(rotate(t, t.ingestKey(), "{}").status()).isEqualTo(403);
        assertThat(rotate(t, other.sessionToken(), "{}").status()).isEqualTo(404);
        assertThat(signet.api().post("/v1/workspaces/storms-end/endpoints/ep_nope/secret", t.sessionToken(), "{}").status()).isEqualTo(404);

        String[][] cases = {
                {"{\"grace_seconds\":-1}", "grace_seconds"},
                {"{\"grace_seconds\":604801}", "grace_seconds"},
                {"{\"grace_seconds\":1.5}", "grace_seconds"},
                {"{\"grace_seconds\":\"60\"}", "grace_seconds"},
                {"{\"secret\":\"whsec_dG9vc2hvcnQ=\"}", "secret"},
                {"{\"secret\":\"not-a-secret\"}", "secret"},
                {"{\"not_after\":\"2030-01-01T00:00:00Z\"}", "not_after"},
        };
        for (String[] c : cases) {
            ApiClient.Reply r = rotate(t, t.sessionToken(), c[0]);
            assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(r.body()).doesNotContain("not-a-secret");
        }
        assertThat(endpoint(t).path("secret_hint").asText()).as("nothing written").isEqualTo(hint);
        assertThat(storedSigning(t)).isEqualTo(signing);

        ApiClient.Reply longest = rotate(t, t.sessionToken(), "{\"grace_seconds\":604800}");
        assertThat(longest.status()).as("7 days is allowed").isEqualTo(200);
        assertThat(storedSigning(t)).hasSize(2);
    }

    private static ApiClient.Reply rotate(Tenant t, String credential, String body) {
        return signet.api().post("/v1/workspaces/" + t.workspaceId() + "/endpoints/" + t.endpointId() + "/secret", credential, body);
    }

    private static JsonNode endpoint(Tenant t) {
        return signet.api().get("/v1/workspaces/" + t.workspaceId() + "/endpoints/" + t.endpointId(), t.sessionToken()).json();
    }

    /** The signing list as sealed in the endpoint's item. */
    private static JsonNode storedSigning(Tenant t) {
        return Json.parseTrusted(signet.credentials(t.workspaceId(), t.endpointId()).toJson()).path("signing");
    }

    /** Emits the seed event and returns the n-th request the receiver got. */
    private static TestReceiver.Received deliverOne(Tenant t, TestReceiver receiver, int n) throws InterruptedException {
        assertThat(t.emit(signet.api(), Tenant.SEED_EVENT).json().path("deliveries").asInt()).isEqualTo(1);
        return receiver.awaitRequests(n, Duration.ofSeconds(20)).get(n - 1);
    }

    private static List<String> signatures(TestReceiver.Received r) {
        return List.of(r.header("webhook-signature").split(" "));
    }


    private static String hintOf(String secret) {
        return "whsec_\u2026" + secret.substring(secret.length() - 4);
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
