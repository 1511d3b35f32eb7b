package dev.signet.bench;

import com.sun.net.httpserver.HttpServer;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.core.signing.Verifier;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.local.SignetStack;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Local mode, end to end: the time from the product's {@code POST /v1/events} being sent to the
 * receiver having verified the signed request, for events emitted one at a time. Runs the whole
 * system (ElasticMQ, moto, the three handlers) in this JVM against a loopback receiver.
 *
 * <p>Usage: {@code scripts/bench latency [count]} (default 20 after 5 warm-up events).
 */
public final class EmitToVerifiedLatency {
    private static final String EVENT = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\","
            + "\"payload\":{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"account_id\":\"acc_casterly\","
            + "\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,\"completed_at\":\"2026-04-17T18:22:00Z\"}}";

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Log.redirect(new PrintStream(OutputStream.nullOutputStream())); // one JSON line per request would swamp the result
        int warmup = 5;
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        Map<String, Long> verifiedAt = new ConcurrentHashMap<>();
        WebhookSecret[] secret = new WebhookSecret[1];

        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            int status = 204;
            try {
                new Verifier(secret[0]).verify(id, ex.getRequestHeaders().getFirst("webhook-timestamp"),
                        ex.getRequestHeaders().getFirst("webhook-signature"), body);
                verifiedAt.put(id, System.nanoTime());
                CountDownLatch l = waiting.get(id);
                if (l != null) {
                    l.countDown();
                }
            } catch (Verifier.VerificationException e) {
                status = 400;
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        receiver.start();

        try (SignetStack stack = SignetStack.builder().port(0).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = stack.baseUrl().toString();
            String ingestKey = Json.parse(post(http, base + "/v1/workspaces", stack.adminKey(),
                    "{\"name\":\"Bench\",\"id\":\"bench\"}")).path("ingest_key").asText();
            String session = Json.parse(post(http, base + "/v1/workspaces/bench/sessions", stack.adminKey(), "{}")).path("token").asText();
            String endpoint = post(http, base + "/v1/workspaces/bench/endpoints", session,
                    "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\"}");
            secret[0] = WebhookSecret.parse(Json.parse(endpoint).path("secret").asText());

            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + count; i++) {
                long start = System.nanoTime();
                CountDownLatch latch = new CountDownLatch(1);
                String id = Json.parse(post(http, base + "/v1/events", ingestKey, EVENT)).path("id").asText();
                waiting.put(id, latch);
                if (verifiedAt.containsKey(id)) {
                    latch.countDown();
                }
                if (!latch.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("event " + id + " was not delivered within 30 s");
                }
                if (i >= warmup) {
                    millis.add((verifiedAt.get(id) - start) / 1e6);
                }
            }
            Collections.sort(millis);
            System.out.printf("emit-to-verified latency, local mode, %d sequential events (after %d warm-up):%n", count, warmup);
            System.out.printf("  median %.1f ms   p90 %.1f ms   min %.1f ms   max %.1f ms%n",
                    pct(millis, 50), pct(millis, 90), millis.getFirst(), millis.getLast());
        } finally {
            receiver.stop(0);
        }
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }

    private static String post(HttpClient http, String url, String token, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("authorization", "Bearer " + token).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
