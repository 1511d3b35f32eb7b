package dev.signet.client;

import dev.signet.client.Loopback.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retries against a real loopback server: 429 and refused connections for every call, 5xx and lost
 * answers only for calls that are safe to repeat (reads, and emits with their Idempotency-Key).
 */
class RetriesOnlyWhatIsSafeToRepeatTest {
    private static final String BUSY = "{\"error\":{\"code\":\"rate_limited\",\"message\":\"slow down\"}}";
    private static final String BROKEN = "{\"error\":{\"code\":\"internal\",\"message\":\"something went wrong\"}}";
    private static final RetrySettings THREE = new RetrySettings(3, Duration.ofMillis(100), Duration.ofSeconds(5));

    private Loopback server;
    private final List<Duration> waits = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = new Loopback();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anEmitThatFailsWith503IsSentAgainWithTheSameIdempotencyKey() {
        server.then(Reply.json(503, BROKEN)).then(Reply.json(502, "<html>bad gateway</html>"))
                .then(Reply.json(202, "{\"id\":\"evt_1\",\"deliveries\":2}"));
        Emitted e = server.client("sgn_ik_x", THREE, waits).events().emit(NewEvent.of("order.completed", Map.of("n", 1)));

        assertThat(e).isEqualTo(new Emitted("evt_1", 2));
        List<Loopback.Request> sent = server.received();
        assertThat(sent).hasSize(3);
        String key = sent.get(0).header("idempotency-key");
        assertThat(key).isNotBlank();
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.header("idempotency-key")).isEqualTo(key);
            assertThat(r.body()).isEqualTo(sent.get(0).body());
        });
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void twoEmitsWithoutAKeyGetDifferentGeneratedKeys() {
        server.then(Reply.json(202, "{\"id\":\"evt_1\",\"deliveries\":0}")).then(Reply.json(202, "{\"id\":\"evt_2\",\"deliveries\":0}"));
        Events events = server.client("sgn_ik_x", THREE, waits).events();
        events.emit(NewEvent.of("a", Map.of()));
        events.emit(NewEvent.of("a", Map.of()));
        assertThat(server.received().get(0).header("idempotency-key")).isNotEqualTo(server.received().get(1).header("idempotency-key"));
    }

    @Test
    void a429IsRetriedEvenForACallThatIsNotSafeToRepeatAndItsRetryAfterIsHonoured() {
        server.then(Reply.json(429, BUSY).withHeader("Retry-After", "2"))
                .then(Reply.json(201, "{\"token\":\"sgn_st_1\",\"expires_at\":\"2026-04-17T18:37:00Z\",\"portal_url\":\"http://x/portal#token=sgn_st_1\"}"));
        Session s = server.client("admin", THREE, waits).workspaces().createSession("casterly", Duration.ofMinutes(15));

        assertThat(s.token()).isEqualTo("sgn_st_1");
        assertThat(server.received()).hasSize(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterLongerThanTheCapEndsTheRetriesAndTheErrorCarriesIt() {
        server.then(Reply.json(429, BUSY).withHeader("Retry-After", "60"));
        SignetClient client = server.client("sgn_ik_x", THREE, waits);
        assertThatThrownBy(() -> client.events().emit(NewEvent.of("a", Map.of())))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.code()).isEqualTo("rate_limited");
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
                });
        assertThat(server.received()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void a5xxOnACallThatIsNotSafeToRepeatIsNotSentAgain() {
        server.then(Reply.json(500, BROKEN));
        SignetClient client = server.client("admin", THREE, waits);
        assertThatThrownBy(() -> client.deliveryLog().retry("casterly", "evt_1"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.status()).isEqualTo(500));
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aReadIsRetriedUntilTheRetriesRunOut() {
        for (int i = 0; i < 4; i++) {
            server.then(Reply.json(503, BROKEN));
        }
        SignetClient client = server.client("admin", THREE, waits);
        assertThatThrownBy(() -> client.workspaces().get("casterly"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.code()).isEqualTo("internal"));
        assertThat(server.received()).hasSize(4);
        assertThat(waits).hasSize(3);
    }

    @Test
    void aClientErrorIsNeverRetried() {
        server.then(Reply.json(409, "{\"error\":{\"code\":\"conflict\",\"message\":\"exists\"}}"));
        SignetClient client = server.client("admin", THREE, waits);
        assertThatThrownBy(() -> client.workspaces().delete("casterly")).isInstanceOf(SignetApiException.class);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aRefusedConnectionIsRetriedForAnyCallThenReported() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SignetClient client = SignetClient.builder().baseUrl("http://127.0.0.1:" + closedPort).apiKey("admin")
                .retries(THREE).sleeper(waits::add).build();
        assertThatThrownBy(() -> client.workspaces().create("Casterly"))
                .isInstanceOf(SignetConnectionException.class)
                .hasMessageContaining("POST /v1/workspaces got no answer")
                .hasMessageContaining("after 3 retries");
        assertThat(waits).hasSize(3);
    }

    @Test
    void anAnswerLostMidRequestIsRetriedForAnEmitButNotForANewWorkspace() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket hangsUp = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!hangsUp.isClosed()) {
                    try (Socket s = hangsUp.accept()) {
                        connections.incrementAndGet();
                        readRequestHead(s.getInputStream());
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            SignetClient client = SignetClient.builder().baseUrl("http://127.0.0.1:" + hangsUp.getLocalPort()).apiKey("k")
                    .retries(THREE).sleeper(waits::add).build();

            assertThatThrownBy(() -> client.workspaces().create("Casterly")).isInstanceOf(SignetConnectionException.class);
            assertThat(connections.get()).isEqualTo(1);
            assertThat(waits).isEmpty();

            assertThatThrownBy(() -> client.events().emit(NewEvent.of("a", Map.of()))).isInstanceOf(SignetConnectionException.class);
            assertThat(connections.get()).isEqualTo(1 + 4);
            assertThat(waits).hasSize(3);
        }
    }

    /** Reads up to the blank line that ends a request's head, so the client has sent it before we hang up. */
    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
