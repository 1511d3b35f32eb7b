package dev.signet.it;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A real HTTP receiver on 127.0.0.1 for the integration tests: records every request exactly as it
 * arrived (method, headers, raw body bytes) and answers with a programmable status.
 */
final class TestReceiver implements AutoCloseable {
    /** One received request. Header names lower-case. */
    record Received(String method, String path, Map<String, String> headers, byte[] body, long receivedAtNanos) {
        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Verifies the request with the Standard Webhooks library and {@code secret}; throws if it does not hold. */
        void verify(String secret) throws WebhookVerificationException {
            new Webhook(secret).verify(bodyText(), Map.of(
                    "webhook-id", List.of(header("webhook-id")),
                    "webhook-timestamp", List.of(header("webhook-timestamp")),
                    "webhook-signature", List.of(header("webhook-signature"))));
        }
    }

    /** What to answer: status, extra headers, body; {@link #DROP} closes the connection without an answer. */
    record Reply(int status, Map<String, String> headers, String body) {
        /** The connection is closed before any response: what a crashed or reset receiver looks like. */
        static final Reply DROP = new Reply(0, Map.of(), "");

        static Reply status(int status) {
            return new Reply(status, Map.of(), "");
        }
    }

    private final HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Integer, Reply> replies = n -> Reply.status(200);

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            requests.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body, System.nanoTime()));
            Reply reply = replies.apply(requests.size());
            if (reply.status() == 0) {
                exchange.close(); // no response: the client sees the connection end
                return;
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
            exchange.close();
        });
        server.start();
    }

    /** Answers the n-th request (1-based) with {@code replies.apply(n)}. */
    TestReceiver answering(Function<Integer, Reply> replies) {
        this.replies = replies;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    List<Received> requests() {
        return new ArrayList<>(requests);
    }

    /** Waits until at least {@code n} requests arrived, or fails after {@code timeout}. */
    List<Received> awaitRequests(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests.size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " requests within " + timeout + ", got " + requests.size());
            }
            Thread.sleep(20);
        }
        return requests();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
