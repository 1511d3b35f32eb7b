package dev.signet.client;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on 127.0.0.1 playing Signet's part: answers each request with the next scripted
 * reply and records what arrived, so tests see the exact request the client built.
 */
final class Loopback implements AutoCloseable {
    record Request(String method, String target, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A scripted answer. */
    record Reply(int status, Map<String, String> headers, String body) {
        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body);
        }

        static Reply empty(int status) {
            return new Reply(status, Map.of(), "");
        }

        Reply withHeader(String name, String value) {
            Map<String, String> h = new TreeMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body);
        }
    }

    private final HttpServer server;
    private final Deque<Reply> script = new ArrayDeque<>();
    private final List<Request> received = new CopyOnWriteArrayList<>();

    Loopback() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
            received.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                    headers, new String(body, StandardCharsets.UTF_8)));
            Reply reply;
            synchronized (script) {
                reply = script.isEmpty() ? Reply.json(500, "{\"error\":{\"code\":\"internal\",\"message\":\"no reply scripted\"}}") : script.poll();
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

    Loopback then(Reply reply) {
        synchronized (script) {
            script.add(reply);
        }
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> received() {
        return new ArrayList<>(received);
    }

    Request last() {
        return received.get(received.size() - 1);
    }

    /** A client of this server that records its waits instead of sleeping. */
    SignetClient client(String key, RetrySettings retries, List<Duration> waits) {
        return SignetClient.builder().baseUrl(url()).apiKey(key).retries(retries).sleeper(waits::add).build();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
