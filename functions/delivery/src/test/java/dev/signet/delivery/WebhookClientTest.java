package dev.signet.delivery;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.core.retry.AttemptOutcome;
import dev.signet.core.urlguard.UrlGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivered request as the receiver sees it (README, "What a delivery looks like"): the request arrives exactly as signed, redirects are not
 * followed, and a slow, silent, huge or absent receiver cannot hold a delivery beyond its timeout.
 * Every server here listens on 127.0.0.1.
 */
class WebhookClientTest {
    private static final UrlGuard LOCAL = new UrlGuard(true, List.of("127.0.0.0/8"), InetAddress::getAllByName);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> cleanup = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(threads);
        cleanup.add(threads::shutdownNow);
        server.createContext("/hook", exchange -> {
            record(exchange);
            respond(exchange, 200, Map.of(), "received".getBytes(StandardCharsets.UTF_8));
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServers() throws Exception {
        server.stop(0);
        for (AutoCloseable c : cleanup) {
            c.close();
        }
    }

    private void record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the client stopped reading: expected in the size-cap test
        }
    }

    private static Map<String, String> signedHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", "Signet/test");
        headers.put("webhook-id", "evt_01HZX");
        headers.put("webhook-timestamp", "1750000000");
        headers.put("webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,aGVsbG8=");
        headers.put("x-team", "billing");
        headers.put("authorization", "Bearer tok_123");
        return headers;
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH"})
    void theRequestArrivesWithMethodHeadersAndBodyExactlyAsSigned(String method) {
        byte[] body = "{\"id\":\"evt_01HZX\",\"data\":{\"name\":\"Zoë\",\"n\":12345678901234567890.5,\"s\":\"日本語 😀\"}}"
                .getBytes(StandardCharsets.UTF_8);

        WebhookSender.Result result = new WebhookClient(LOCAL).send(method, base + "/hook/in?team=a%20b&x=1",
                signedHeaders(), body, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("received");
        });
        assertThat(received).hasSize(1);
        Received got = received.getFirst();
        assertThat(got.method()).isEqualTo(method);
        assertThat(got.rawPath()).isEqualTo("/hook/in");
        assertThat(got.rawQuery()).isEqualTo("team=a%20b&x=1");
        assertThat(got.body()).isEqualTo(body);
        signedHeaders().forEach((name, value) -> assertThat(got.headers().get(name)).as(name).containsExactly(value));
        assertThat(got.headers().get("content-length")).containsExactly(Integer.toString(body.length));
    }

    @Test
    void aRedirectIsNotFollowed() {
        AtomicInteger elsewhere = new AtomicInteger();
        server.createContext("/start", exchange -> {
            record(exchange);
            respond(exchange, 302, Map.of("Location", base + "/elsewhere"), new byte[0]);
        });
        server.createContext("/elsewhere", exchange -> {
            elsewhere.incrementAndGet();
            respond(exchange, 200, Map.of(), "followed".getBytes(StandardCharsets.UTF_8));
        });

        WebhookSender.Result result = new WebhookClient(LOCAL).send("POST", base + "/start", signedHeaders(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> {
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("location")).isEqualTo(base + "/elsewhere");
        });
        assertThat(elsewhere).hasValue(0);
        assertThat(received).hasSize(1);
    }

    @Test
    void aHugeResponseBodyIsReadOnlyUpTo64KiB() {
        byte[] mebibyte = new byte[1024 * 1024];
        for (int i = 0; i < mebibyte.length; i++) {
            mebibyte[i] = (byte) ('a' + i % 26);
        }
        server.createContext("/big", exchange -> {
            record(exchange);
            respond(exchange, 200, Map.of(), mebibyte);
        });

        WebhookSender.Result result = new WebhookClient(LOCAL).send("POST", base + "/big", signedHeaders(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(64 * 1024);
            assertThat(r.body()).isEqualTo(java.util.Arrays.copyOf(mebibyte, 64 * 1024));
        });
    }

    @Test
    void anErrorResponseIsAResponseWithItsBody() {
        server.createContext("/fail", exchange -> {
            record(exchange);
            respond(exchange, 500, Map.of(), "{\"error\":\"db down\"}".getBytes(StandardCharsets.UTF_8));
        });

        WebhookSender.Result result = new WebhookClient(LOCAL).send("POST", base + "/fail", signedHeaders(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> {
            assertThat(r.status()).isEqualTo(500);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"error\":\"db down\"}");
            assertThat(DeliveryWorker.outcomeOf(r)).isEqualTo(new AttemptOutcome.Failed(null));
        });
    }

    @Test
    void aRetryAfterHeaderOnA503IsHandedToTheRetryDecision() {
        server.createContext("/busy", exchange -> {
            record(exchange);
            respond(exchange, 503, Map.of("Retry-After", "120"), new byte[0]);
        });

        WebhookSender.Result result = new WebhookClient(LOCAL).send("POST", base + "/busy", signedHeaders(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("retry-after")).isEqualTo("120");
            assertThat(DeliveryWorker.outcomeOf(r)).isEqualTo(new AttemptOutcome.Failed(Duration.ofSeconds(120)));
        });
    }

    @Test
    void aReceiverThatTricklesItsBodyForeverIsCutOffAtTheTimeout() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch peerGone = new CountDownLatch(1);
        ServerSocket socket = rawServer(client -> {
            readRequestHead(client.getInputStream());
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                while (!stop.get()) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                peerGone.countDown();
            }
        });
        cleanup.add(() -> stop.set(true));

        long started = System.nanoTime();
        WebhookSender.Result result = new WebhookClient(LOCAL).send("POST",
                "http://127.0.0.1:" + socket.getLocalPort() + "/hook", signedHeaders(), new byte[] {'{', '}'}, TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class,
                f -> assertThat(f.error()).isEqualTo("timed out after 2 s"));
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(5));
        assertThat(peerGone.await(10, TimeUnit.SECONDS)).as("the client closed the trickling connection").isTrue();
    }

    @Test
    void aReceiverThatNeverAnswersTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ServerSocket socket = rawServer(client -> {
            readRequestHead(client.getInputStream());
            release.await(30, TimeUnit.SECONDS);
        });
        cleanup.add(release::countDown);

        long started = System.nanoTime();
        WebhookSender.Result result = new WebhookClient(LOCAL).send("POST",
                "http://127.0.0.1:" + socket.getLocalPort() + "/hook", signedHeaders(), new byte[] {'{', '}'}, TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class,
                f -> assertThat(f.error()).isEqualTo("timed out after 2 s"));
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusedConnectionIsAFailureThatSaysSo() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        WebhookSender.Result result = new WebhookClient(LOCAL).send("POST", "http://127.0.0.1:" + port + "/hook",
                signedHeaders(), new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class,
                f -> assertThat(f.error()).isEqualTo("connection refused or unreachable"));
    }

    @Test
    void aUrlTheGuardRefusesIsNeverContacted() {
        UrlGuard production = new UrlGuard(true, List.of(), InetAddress::getAllByName);

        WebhookSender.Result result = new WebhookClient(production).send("POST", base + "/hook", signedHeaders(),
                new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class,
                f -> assertThat(f.error()).contains("127.0.0.1").contains("which webhooks may not reach"));
        assertThat(received).isEmpty();
    }

    @Test
    void anHttpUrlIsNeverContactedWhenOnlyHttpsIsAllowed() {
        UrlGuard httpsOnly = new UrlGuard(false, List.of("127.0.0.0/8"), InetAddress::getAllByName);

        WebhookSender.Result result = new WebhookClient(httpsOnly).send("POST", base + "/hook", signedHeaders(),
                new byte[] {'{', '}'}, TIMEOUT);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class,
                f -> assertThat(f.error()).isEqualTo("url must start with https://"));
        assertThat(received).isEmpty();
    }

    @FunctionalInterface
    private interface Conversation {
        void run(Socket client) throws Exception;
    }

    /** A bare TCP server on 127.0.0.1 that plays {@code conversation} with each connection. */
    private ServerSocket rawServer(Conversation conversation) throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(socket);
        Thread.ofVirtual().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    cleanup.add(client);
                    Thread.ofVirtual().start(() -> {
                        try (client) {
                            conversation.run(client);
                        } catch (Exception e) {
                            // connection ended; nothing to record
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return socket;
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before sending its request");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }
}
