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
 */
public final class DemoReceiver implements AutoCloseable {
    public static final String PATH = "/webhooks";

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
        return URI.create("http://" + Emulators.HOST + ":" + server.getAddress().getPort() + PATH);
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
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
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

    private static String eventType(byte[] body) {
        try {
            JsonNode type = Json.parse(body).get("type");
            return type != null && type.isTextual() ? type.asText() : "(raw payload)";
        } catch (IOException | RuntimeException e) {
            return "(body is not JSON)";
        }
    }
}
