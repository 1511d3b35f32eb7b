package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint whose {@code auth} is {@code oauth2_client_credentials} (README, "Outbound auth";
 * openapi.yaml, endpoints): Signet gets an access token from the endpoint's {@code token_url}, a loopback
 * token endpoint here that counts its requests, and sends it as {@code Authorization: Bearer}. One token
 * request per token lifetime, not per delivery; a 401 from the receiver makes exactly one new token
 * request and one more send; a token endpoint that refuses the client is a failed attempt whose reason
 * says what to fix, and no request reaches the receiver. Tokens are kept per delivery function
 * instance, as in AWS.
 */
class OAuth2EndpointsFetchTokensOncePerExpiryTest {
    /**
     * One instance of the delivery function: each instance keeps its own tokens (ARCHITECTURE.md), so
     * with one the counts are exact; N warm instances make at most N token requests per lifetime.
     */
    @RegisterExtension
    static final Signet signet = new Signet("1s,2s,2s", Map.of("SIGNET_CACHE_TTL_SECONDS", "1"), b -> b.pollers(1).concurrency(1));

    @Test
    void manyDeliveriesShareOneTokenUntilItExpires() throws Exception {
        // expires_in 8 s: kept until 0.8 s before it ends (a tenth of the lifetime, under a minute), long
        // enough for five deliveries on a busy machine.
        try (TokenEndpoint tokens = new TokenEndpoint("casterly-client", "cs-golden-lion-1234", "tok-casterly", 8);
             TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("casterly-oauth", "{\"url\":\"" + receiver.url() + "\",\"auth\":" + tokens.auth() + "}");
            assertThat(t.endpoint().path("auth").path("type").asText()).isEqualTo("oauth2_client_credentials");
            assertThat(t.endpoint().toString()).doesNotContain("cs-golden-lion-1234");

            for (int i = 0; i < 5; i++) {
                emit(t);
            }
            List<TestReceiver.Received> first = receiver.awaitRequests(5, Duration.ofSeconds(30));
            assertThat(first).extracting(r -> r.header("authorization")).containsOnly("Bearer tok-casterly-1");
            assertThat(tokens.requests()).as("one token request for five deliveries").hasSize(1);
            assertThat(tokens.requests().getFirst()).contains("grant_type=client_credentials").contains("scope=webhooks%3Awrite");

            Thread.sleep(8_000); // the token's lifetime: the next delivery needs a new one
            emit(t);
            emit(t);
            List<TestReceiver.Received> second = receiver.awaitRequests(7, Duration.ofSeconds(30));
            assertThat(second.subList(5, 7)).extracting(r -> r.header("authorization")).containsOnly("Bearer tok-casterly-2");
            assertThat(tokens.requests()).as("one more token request once it expired").hasSize(2);
        }
    }

    @Test
    void aRefusedTokenIsReplacedOnceAndTheDeliverySentAgain() throws Exception {
        try (TokenEndpoint tokens = new TokenEndpoint("riverrun-client", "cs-trout-5678", "tok-riverrun", 3600);
             TestReceiver receiver = new TestReceiver()) {
            // The receiver revoked the first token: it answers 401 to it, 200 to any other.
            receiver.answering(n -> TestReceiver.Reply.status(200));
            Tenant t = signet.tenant("riverrun-oauth", "{\"url\":\"" + receiver.url() + "\",\"auth\":" + tokens.auth() + "}");
            receiver.answering(n -> n == 1 ? TestReceiver.Reply.status(401) : TestReceiver.Reply.status(200));

            String eventId = emit(t);
            List<TestReceiver.Received> got = receiver.awaitRequests(2, Duration.ofSeconds(30));
            assertThat(got).extracting(r -> r.header("authorization")).containsExactly("Bearer tok-riverrun-1", "Bearer tok-riverrun-2");
            List<Attempt> attempts = signet.awaitAttempts(t.workspaceId(), eventId, 1);
            assertThat(attempts).hasSize(1);
            assertThat(attempts.getFirst().status()).isEqualTo(Attempt.Status.SUCCEEDED);
            assertThat(tokens.requests()).as("exactly one refresh after the 401").hasSize(2);

            // Still 401 with a fresh token: one refresh per delivery, never a loop; the attempt fails and is retried.
            receiver.answering(n -> TestReceiver.Reply.status(401));
            String refused = emit(t);
            List<Attempt> failed = signet.awaitAttempts(t.workspaceId(), refused, 1);
            assertThat(failed.getFirst().status()).isEqualTo(Attempt.Status.FAILED);
            assertThat(failed.getFirst().responseStatus()).isEqualTo(401);
            assertThat(receiver.requests()).as("the first send and one with the fresh token").hasSizeGreaterThanOrEqualTo(4);
            assertThat(receiver.requests().subList(2, 4)).extracting(r -> r.header("authorization"))
                    .containsExactly("Bearer tok-riverrun-2", "Bearer tok-riverrun-3");
        }
    }

    @Test
    void aTokenEndpointThatRefusesTheClientFailsTheAttemptWithWhatToFix() throws Exception {
        try (TokenEndpoint tokens = new TokenEndpoint("winterfell-client", "cs-direwolf-9012", "tok-winterfell", 3600);
             TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("winterfell-oauth", "{\"url\":\"" + receiver.url() + "\",\"auth\":" + tokens.auth("cs-wrong-secret-0000") + "}");

            String eventId = emit(t);
            Attempt attempt = signet.awaitAttempts(t.workspaceId(), eventId, 1).getFirst();
            assertThat(attempt.status()).isEqualTo(Attempt.Status.FAILED);
            assertThat(attempt.responseStatus()).as("no request reached the receiver").isNull();
            assertThat(attempt.error()).contains("token endpoint answered 401").contains("invalid_client")
                    .contains("check client_id and client_secret").doesNotContain("cs-wrong-secret-0000");
            assertThat(receiver.requests()).isEmpty();

            // Fixing the secret (a PATCH of auth) makes the retry succeed.
            ApiClient.Reply fixed = signet.api().patch("/v1/workspaces/" + t.workspaceId() + "/endpoints/" + t.endpointId(),
                    t.sessionToken(), "{\"auth\":" + tokens.auth() + "}");
            assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
            List<TestReceiver.Received> got = receiver.awaitRequests(1, Duration.ofSeconds(30));
            assertThat(got.getFirst().header("authorization")).isEqualTo("Bearer tok-winterfell-1");
        }
    }

    @Test
    void badOAuth2SettingsAreA400NamingTheField() {
        Tenant t = signet.tenant("oauth-input", null);
        String base = "/v1/workspaces/" + t.workspaceId() + "/endpoints";
        String[][] cases = {
                {"{\"type\":\"oauth2_client_credentials\",\"client_id\":\"c\",\"client_secret\":\"s3cr3t-value\"}", "auth.token_url"},
                {"{\"type\":\"oauth2_client_credentials\",\"token_url\":\"ftp://127.0.0.1/token\",\"client_id\":\"c\",\"client_secret\":\"s3cr3t-value\"}", "auth.token_url"},
                {"{\"type\":\"oauth2_client_credentials\",\"token_url\":\"http://127.0.0.1:9/token\",\"client_secret\":\"s3cr3t-value\"}", "auth.client_id"},
                {"{\"type\":\"oauth2_client_credentials\",\"token_url\":\"http://127.0.0.1:9/token\",\"client_id\":\"c\"}", "auth.client_secret"},
                {"{\"type\":\"oauth2_client_credentials\",\"token_url\":\"http://127.0.0.1:9/token\",\"client_id\":\"c\",\"client_secret\":\"s3cr3t-value\",\"scope\":\"a  b\"}", "auth.scope"},
                {"{\"type\":\"oauth2_client_credentials\",\"token_url\":\"http://127.0.0.1:9/token\",\"client_id\":\"c\",\"client_secret\":\"s3cr3t-value\",\"grant\":\"x\"}", "auth.grant"},
        };
        for (String[] c : cases) {
            ApiClient.Reply r = signet.api().post(base, t.sessionToken(), "{\"url\":\"http://127.0.0.1:9/x\",\"auth\":" + c[0] + "}");
            assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).as(c[0] + " -> " + r.body()).isEqualTo(c[1]);
            assertThat(r.body()).doesNotContain("s3cr3t-value");
        }
        assertThat(signet.api().get(base, t.sessionToken()).json().path("data")).as("nothing written").isEmpty();
    }

    private static String emit(Tenant t) {
        ApiClient.Reply r = t.emit(signet.api(), Tenant.SEED_EVENT);
        assertThat(r.json().path("deliveries").asInt()).as(r.body()).isEqualTo(1);
        return r.text("id");
    }
}
