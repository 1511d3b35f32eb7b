package dev.signet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.core.json.Json;
import dev.signet.core.signing.Verifier;
import dev.signet.core.signing.WebhookSecret;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A customer's webhook receiver, for the demo: verifies every request with Signet's {@link Verifier}
 * over the raw body, before parsing anything (the order every receiver should follow), answers 204
 * when the signature holds and 401 when it does not, and prints one line per request.
 *
 * <p>Two more paths let a newcomer try everything in the portal on this one receiver: {@code /accept}
 * answers 204 to anything (for endpoints whose secret the receiver does not hold), and
 * {@code /status/NNN} answers that status (e.g. {@code /status/503}: a broken receiver, to watch
 * failures and retry one).
 */
public final class DemoReceiver implements AutoCloseable {
    public static final String PATH = "/webhooks";
    public static final String ACCEPT_PATH = "/accept";
    public static final String STATUS_PATH = "/status/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final PrintStream out;
    private volatile Verifier verifier;
    private volatile String secretHint;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();

    private DemoReceiver(HttpServer server, ExecutorService executor, PrintStream out) {
        this.server = server;
        this.executor = executor;
        this.out = out;
    }

    /** Listens on a free port of 127.0.0.1. */
    public static DemoReceiver start(PrintStream out) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(Emulators.HOST), 0), 32);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            DemoReceiver receiver = new DemoReceiver(server, executor, out);
            server.createContext("/", receiver::receive);
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("the demo receiver cannot listen on 127.0.0.1", e);
        }
    }

    /** The URL to register as the endpoint. */
    public URI url() {
        return url(PATH);
    }

    /** This receiver with another path, e.g. {@link #ACCEPT_PATH} or {@code STATUS_PATH + 503}. */
    public URI url(String path) {
        return URI.create("http://" + Emulators.HOST + ":" + server.getAddress().getPort() + path);
    }

    /** The endpoint's signing secret, as returned once when the endpoint was created. */
    public void useSecret(WebhookSecret secret) {
        this.verifier = new Verifier(secret);
        this.secretHint = secret.hint();
    }

    public int accepted() {
        return accepted.get();
    }

    public int rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void receive(HttpExchange exchange) {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes(); // the raw bytes: verify these, never a re-serialised parse
            String path = exchange.getRequestURI().getPath();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            int practice = practiceStatus(path);
            if (practice > 0) {
                // Not verified: these paths stand in for a receiver that takes anything, or a broken one.
                out.printf("[demo receiver] answered %d to %s %s %s (%d bytes, not verified on this path)%n", practice,
                        exchange.getRequestMethod(), path, id == null ? "(no webhook-id)" : id, body.length);
                byte[] reply = practice == 204 ? new byte[0]
                        : ("demo receiver answering " + practice + " as asked by " + path).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(practice, reply.length == 0 ? -1 : reply.length);
                if (reply.length > 0) {
                    exchange.getResponseBody().write(reply);
                }
                return;
            }
            String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
            String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
            Verifier v = verifier;
            String result;
            boolean ok = false;
            if (v == null) {
                result = "no secret configured yet";
            } else {
                try {
                    v.verify(id, timestamp, signature, body);
                    ok = true;
                    result = "signature verified with " + secretHint;
                } catch (Verifier.VerificationException e) {
                    result = "signature check failed: " + e.getMessage();
                }
            }
            // Only now, with the signature checked, is the body trusted enough to read.
            String type = ok ? eventType(body) : "-";
            (ok ? accepted : rejected).incrementAndGet();
            out.printf("[demo receiver] %s %s %s %s %s (%d bytes): %s%n", ok ? "accepted" : "rejected",
                    exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    id == null ? "(no webhook-id)" : id, type, body.length, result);
            exchange.sendResponseHeaders(ok ? 204 : 401, -1);
        } catch (IOException e) {
            out.println("[demo receiver] could not read a request: " + e.getMessage());
        }
    }

    /** 204 for /accept, NNN for /status/NNN (200–599), 0 for a path that verifies. */
    static int practiceStatus(String path) {
        if (path.equals(ACCEPT_PATH)) {
            return 204;
        }
        if (path.startsWith(STATUS_PATH) && path.length() == STATUS_PATH.length() + 3) {
            try {
                int status = Integer.parseInt(path.substring(STATUS_PATH.length()));
                return status >= 200 && status <= 599 ? status : 0;
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    private static String eventType(byte[] body) {
        try {
            JsonNode type = Json.parse(body).get("type");
            return type != null && type.isTextual() ? type.asText() : "(raw payload)";
        } catch (IOException | RuntimeException e) {
            return "(body is not JSON)";
        }
    }
}
