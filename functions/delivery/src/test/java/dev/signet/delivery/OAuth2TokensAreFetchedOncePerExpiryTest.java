package dev.signet.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.core.endpoint.OAuth2ClientCredentials;
import dev.signet.core.urlguard.UrlGuard;
import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, endpoints: {@code auth.type: "oauth2_client_credentials"}. Against a loopback OAuth2 token
 * endpoint that counts its requests and a receiver that checks the bearer token: one token request per
 * token lifetime, not per delivery (also for concurrent deliveries); a 401 from the receiver triggers
 * exactly one fresh token; a token that cannot be had fails the attempt with a reason the customer
 * can act on, and neither the token nor the client secret ever shows in one.
 */
class OAuth2TokensAreFetchedOncePerExpiryTest {
    private static final String SECRET = "s3cr3t:with&odd=chars";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final MutableClock clock = MutableClock.at("2026-04-17T18:22:00Z");
    private final TokenEndpoint tokenEndpoint = new TokenEndpoint();
    private final Receiver receiver = new Receiver();
    private final UrlGuard localMode = new UrlGuard(true, List.of("127.0.0.1/32"), InetAddress::getAllByName);
    private final WebhookClient client = new WebhookClient(localMode);
    private OAuth2Tokens tokens;
    private OAuth2ClientCredentials credentials;

    @BeforeEach
    void start() throws IOException {
        tokenEndpoint.start();
        receiver.start();
        tokens = new OAuth2Tokens(localMode, clock, Duration.ofSeconds(2));
        credentials = OAuth2ClientCredentials.of(tokenEndpoint.url(), "casterly:client", SECRET, "webhooks.write read", "https://hooks.casterly.test");
    }

    @AfterEach
    void stop() {
        tokenEndpoint.stop();
        receiver.stop();
    }

    private WebhookSender.Result deliver(OAuth2ClientCredentials with) {
        return tokens.send("casterly/ep_1", with, Map.of("content-type", "application/json"),
                headers -> client.send("POST", receiver.url(), headers, "{}".getBytes(StandardCharsets.UTF_8), TIMEOUT));
    }

    private WebhookSender.Result deliver() {
        return deliver(credentials);
    }

    private static int status(WebhookSender.Result result) {
        assertThat(result).isInstanceOf(WebhookSender.Response.class);
        return ((WebhookSender.Response) result).status();
    }

    @Test
    void manyDeliveriesShareOneTokenRequestMadeAsRfc6749Says() {
        for (int i = 0; i < 10; i++) {
            assertThat(status(deliver())).isEqualTo(204);
        }

        assertThat(tokenEndpoint.requests).hasValue(1);
        assertThat(receiver.authorizations).hasSize(10).containsOnly("Bearer tok-1");
        TokenEndpoint.Request request = tokenEndpoint.seen.getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(request.body()).isEqualTo("grant_type=client_credentials&scope=webhooks.write+read&audience=https%3A%2F%2Fhooks.casterly.test");
        // Client id and secret each form-encoded, then joined and base64-encoded (section 2.3.1).
        assertThat(new String(Base64.getDecoder().decode(request.authorization().substring("Basic ".length())), StandardCharsets.UTF_8))
                .isEqualTo("casterly%3Aclient:s3cr3t%3Awith%26odd%3Dchars");
    }

    @Test
    void theFormMayCarryTheClientCredentialsInstead() {
        OAuth2ClientCredentials inForm = new OAuth2ClientCredentials(tokenEndpoint.url(), "casterly", SECRET, null, null,
                OAuth2ClientCredentials.ClientAuthentication.FORM);

        assertThat(status(deliver(inForm))).isEqualTo(204);

        assertThat(tokenEndpoint.seen.getFirst().authorization()).isNull();
        assertThat(tokenEndpoint.seen.getFirst().body())
                .isEqualTo("grant_type=client_credentials&client_id=casterly&client_secret=s3cr3t%3Awith%26odd%3Dchars");
    }

    @Test
    void concurrentDeliveriesWaitForOneTokenRequest() throws Exception {
        tokenEndpoint.hold = new CountDownLatch(1);
        List<Future<WebhookSender.Result>> sent = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                sent.add(threads.submit(() -> deliver()));
            }
            tokenEndpoint.awaitRequests(1);
            tokenEndpoint.hold.countDown();
            for (Future<WebhookSender.Result> f : sent) {
                assertThat(status(f.get())).isEqualTo(204);
            }
        }

        assertThat(tokenEndpoint.requests).hasValue(1);
        assertThat(receiver.authorizations).hasSize(20).containsOnly("Bearer tok-1");
    }

    @Test
    void aTokenIsReplacedShortlyBeforeItExpiresNotBefore() {
        tokenEndpoint.expiresIn = 3600;
        deliver();
        clock.advance(Duration.ofSeconds(3539));
        deliver();
        assertThat(tokenEndpoint.requests).as("still an hour's token, a minute before its end").hasValue(1);

        clock.advance(Duration.ofSeconds(2)); // 59 s before it expires
        deliver();
        deliver();

        assertThat(tokenEndpoint.requests).hasValue(2);
        assertThat(receiver.authorizations).containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2", "Bearer tok-2");
    }

    @Test
    void aShortLivedTokenIsReplacedATenthOfItsLifetimeEarly() {
        tokenEndpoint.expiresIn = 100;
        deliver();
        clock.advance(Duration.ofSeconds(89));
        deliver();
        clock.advance(Duration.ofSeconds(1));
        deliver();

        assertThat(tokenEndpoint.requests).hasValue(2);
    }

    @Test
    void aRevokedTokenIsReplacedOnceOnA401AndTheDeliveryGoesThrough() {
        deliver();
        receiver.revoked.add("tok-1"); // the provider revoked it

        WebhookSender.Result result = deliver();

        assertThat(status(result)).isEqualTo(204);
        assertThat(tokenEndpoint.requests).hasValue(2);
        assertThat(receiver.authorizations).containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
        deliver();
        assertThat(tokenEndpoint.requests).as("the fresh token is kept").hasValue(2);
    }

    @Test
    void aReceiverThatRefusesEveryTokenCostsExactlyOneRefreshPerDelivery() {
        receiver.refusesAll = true;

        WebhookSender.Result result = deliver();

        assertThat(status(result)).as("the second answer is the attempt's").isEqualTo(401);
        assertThat(tokenEndpoint.requests).hasValue(2);
        assertThat(receiver.authorizations).containsExactly("Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void concurrent401sShareOneRefresh() throws Exception {
        receiver.revoked.add("tok-1");
        List<Future<WebhookSender.Result>> sent = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                sent.add(threads.submit(() -> deliver()));
            }
            for (Future<WebhookSender.Result> f : sent) {
                assertThat(status(f.get())).isEqualTo(204);
            }
        }

        assertThat(tokenEndpoint.requests).hasValue(2);
    }

    @Test
    void newCredentialsGetANewToken() {
        deliver();

        deliver(OAuth2ClientCredentials.of(tokenEndpoint.url(), "casterly:client", "rotated-secret", null, null));

        assertThat(tokenEndpoint.requests).hasValue(2);
        assertThat(receiver.authorizations).containsExactly("Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void refusedCredentialsFailTheAttemptWithTheProvidersWordsAndAHint() {
        tokenEndpoint.answer = (n) -> new Answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}");

        WebhookSender.Result result = deliver();

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class, f -> {
            assertThat(f.error()).isEqualTo("token endpoint answered 401 (invalid_client: Client authentication failed); "
                    + "check client_id and client_secret");
            assertThat(f.blocked()).as("retried: the customer can fix the credentials").isFalse();
        });
        assertThat(receiver.authorizations).as("no request without a token").isEmpty();
        deliver();
        assertThat(tokenEndpoint.requests).as("a failure is not kept: the next attempt asks again").hasValue(2);
    }

    @Test
    void otherTokenFailuresSayWhatToFix() {
        assertThat(reasonFor(new Answer(500, "<html>oops</html>"))).isEqualTo("token endpoint answered 500");
        assertThat(reasonFor(new Answer(404, ""))).isEqualTo("token endpoint answered 404; check token_url");
        assertThat(reasonFor(new Answer(400, "{\"error\":\"invalid_scope\"}"))).isEqualTo("token endpoint answered 400 (invalid_scope); check scope");
        assertThat(reasonFor(new Answer(200, "not json"))).isEqualTo("token endpoint's answer is not a JSON object; check token_url");
        assertThat(reasonFor(new Answer(200, "{\"token_type\":\"Bearer\"}"))).isEqualTo("token endpoint's answer has no access_token");
        assertThat(reasonFor(new Answer(200, "{\"access_token\":\"abc\",\"token_type\":\"mac\"}")))
                .isEqualTo("token endpoint issued a token of type mac; Signet sends Bearer tokens");
        assertThat(reasonFor(new Answer(200, "{\"access_token\":\"a b\"}"))).contains("cannot be sent in a header");
        // A provider that echoes the secret back: the reason, stored in the delivery log, does not.
        assertThat(reasonFor(new Answer(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + SECRET + "\"}")))
                .isEqualTo("token endpoint answered 401 (invalid_client: bad secret [redacted]); check client_id and client_secret");
    }

    private String reasonFor(Answer answer) {
        tokenEndpoint.answer = n -> answer;
        WebhookSender.Result result = deliver();
        assertThat(result).isInstanceOf(WebhookSender.Failure.class);
        String reason = ((WebhookSender.Failure) result).error();
        assertThat(reason).doesNotContain(SECRET);
        return reason;
    }

    @Test
    void aSilentOrMissingTokenEndpointFailsTheAttemptInBoundedTime() throws IOException {
        tokenEndpoint.hold = new CountDownLatch(1); // answers only when released: after the test
        try {
            assertThat(deliver()).isInstanceOfSatisfying(WebhookSender.Failure.class,
                    f -> assertThat(f.error()).isEqualTo("token request to 127.0.0.1 timed out after 2 s"));
        } finally {
            tokenEndpoint.hold.countDown();
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        WebhookSender.Result refused = deliver(OAuth2ClientCredentials.of("http://127.0.0.1:" + closed + "/token", "c", SECRET, null, null));
        assertThat(refused).isInstanceOfSatisfying(WebhookSender.Failure.class, f -> assertThat(f.error())
                .isEqualTo("token request to 127.0.0.1 failed: connection refused or unreachable; check token_url"));
        assertThat(receiver.authorizations).isEmpty();
    }

    @Test
    void theTokenUrlPassesTheUrlGuard() {
        OAuth2Tokens strict = new OAuth2Tokens(new UrlGuard(false, List.of(), InetAddress::getAllByName), clock);
        OAuth2Tokens noLoopback = new OAuth2Tokens(new UrlGuard(true, List.of(), InetAddress::getAllByName), clock);

        assertThat(strict.token("casterly/ep_1", credentials)).isEqualTo(new OAuth2Tokens.Failed("token_url must start with https://", true));
        assertThat(noLoopback.token("casterly/ep_1", credentials)).isInstanceOfSatisfying(OAuth2Tokens.Failed.class, f -> {
            assertThat(f.blocked()).as("abandoned like a refused webhook URL").isTrue();
            assertThat(f.reason()).startsWith("token_url host 127.0.0.1 resolves to a non-public address").endsWith("which webhooks may not reach");
        });
        assertThat(tokenEndpoint.requests).hasValue(0);
    }

    @Test
    void tokensAndSecretsAreNeverShownByToString() {
        OAuth2Tokens.Outcome token = tokens.token("casterly/ep_1", credentials);

        assertThat(token).isInstanceOf(OAuth2Tokens.Token.class);
        assertThat(token.toString()).doesNotContain("tok-1");
        assertThat(credentials.toString()).doesNotContain(SECRET).contains("client_secret=redacted");
    }

    // ---- the loopback token endpoint and receiver -----------------------------------------------

    record Answer(int status, String json) {
    }

    static final class TokenEndpoint {
        record Request(String method, String contentType, String authorization, String body) {
        }

        final AtomicInteger requests = new AtomicInteger();
        final List<Request> seen = new CopyOnWriteArrayList<>();
        volatile int expiresIn = 3600;
        volatile CountDownLatch hold;
        volatile java.util.function.IntFunction<Answer> answer =
                n -> new Answer(200, "{\"access_token\":\"tok-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}");
        private HttpServer server;

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/token", this::handle);
            server.start();
        }

        private void handle(HttpExchange exchange) throws IOException {
            int n = requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Request(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("content-type"),
                    exchange.getRequestHeaders().getFirst("authorization"), body));
            CountDownLatch h = hold;
            if (h != null) {
                try {
                    h.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Answer a = answer.apply(n);
            byte[] bytes = a.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        void awaitRequests(int n) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (requests.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(5); // polling a condition, bounded
            }
            assertThat(requests.get()).as("token requests").isGreaterThanOrEqualTo(n);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
        }

        void stop() {
            server.stop(0);
        }
    }

    /** Answers 204 to a token the token endpoint issued and did not revoke, 401 to anything else. */
    static final class Receiver {
        final List<String> authorizations = new CopyOnWriteArrayList<>();
        final java.util.Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile boolean refusesAll;
        private HttpServer server;

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                String authorization = exchange.getRequestHeaders().getFirst("authorization");
                authorizations.add(authorization);
                exchange.getRequestBody().readAllBytes();
                boolean valid = authorization != null && authorization.startsWith("Bearer tok-")
                        && !revoked.contains(authorization.substring("Bearer ".length())) && !refusesAll;
                exchange.sendResponseHeaders(valid ? 204 : 401, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
        }

        void stop() {
            server.stop(0);
        }
    }
}
