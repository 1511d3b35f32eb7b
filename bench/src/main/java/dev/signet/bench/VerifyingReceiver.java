package dev.signet.bench;

import com.sun.net.httpserver.HttpServer;
import dev.signet.core.json.Json;
import dev.signet.core.signing.Verifier;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.local.SignetStack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The end-to-end benchmarks' customer: a receiver on 127.0.0.1 that verifies every request with the
 * endpoint's secret and records when each webhook-id first arrived verified, and the workspace
 * ("bench") whose one endpoint points at it.
 */
final class VerifyingReceiver implements AutoCloseable {
    /** The seed event, as a product would emit it. */
    static final String SEED_EVENT = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\","
            + "\"payload\":{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"account_id\":\"acc_casterly\","
            + "\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,\"completed_at\":\"2026-04-17T18:22:00Z\"}}";

    private final HttpServer server;
    private final Map<String, Long> verifiedAt = new ConcurrentHashMap<>();
    private volatile WebhookSecret secret;
    private volatile Consumer<String> onVerified = id -> { };

    VerifyingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            int status = 204;
            try {
                new Verifier(secret).verify(id, ex.getRequestHeaders().getFirst("webhook-timestamp"),
                        ex.getRequestHeaders().getFirst("webhook-signature"), body);
                verifiedAt.putIfAbsent(id, System.nanoTime());
                onVerified.accept(id);
            } catch (Verifier.VerificationException e) {
                status = 400;
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    /** {@link System#nanoTime()} at which each webhook-id first arrived with a valid signature. */
    Map<String, Long> verifiedAt() {
        return verifiedAt;
    }

    /** Called with each verified webhook-id, on the receiver's thread. */
    void onVerified(Consumer<String> listener) {
        this.onVerified = listener;
    }

    /**
     * Through the stack's API: workspace "bench", a session, and an endpoint to this receiver whose
     * generated secret the receiver then verifies with. Returns the workspace's ingest key.
     */
    String register(HttpClient http, SignetStack stack) throws Exception {
        String base = stack.baseUrl().toString();
        String ingestKey = Json.parse(post(http, base + "/v1/workspaces", stack.adminKey(),
                "{\"name\":\"Bench\",\"id\":\"bench\"}")).path("ingest_key").asText();
        String session = Json.parse(post(http, base + "/v1/workspaces/bench/sessions", stack.adminKey(), "{}")).path("token").asText();
        String endpoint = post(http, base + "/v1/workspaces/bench/endpoints", session,
                "{\"url\":\"http://127.0.0.1:" + server.getAddress().getPort() + "/hooks\"}");
        secret = WebhookSecret.parse(Json.parse(endpoint).path("secret").asText());
        return ingestKey;
    }

    /** POSTs JSON with a bearer token; the body of a 2xx answer, else an exception naming the status. */
    static String post(HttpClient http, String url, String token, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
