package dev.signet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.local.SignetStack;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Local mode, ingest alone: how long {@code POST /v1/events} (1 event) and {@code /v1/events/batch}
 * (100 events) take when each event fans out to 1, 10 or 50 endpoints. Ingest answers only once every
 * delivery is in the queue, so this is the time to queue them. Every request carries a fresh
 * Idempotency-Key, as the clients send one. Nothing consumes the queue (no pollers): after each
 * request the bench checks that the queue grew by exactly the deliveries reported, then purges it.
 * Besides latency it reports the CPU time this JVM (Signet, ElasticMQ, the bench's client) spent per
 * request, which a busy machine inflates less than latency; moto runs in its own process.
 *
 * <p>Usage: {@code scripts/bench ingest [requests]} (default 30 timed requests per row, after 5 warm-up).
 */
public final class IngestLatency {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private static final int[] ENDPOINTS = {1, 10, 50};
    private static final int[] EVENTS_PER_REQUEST = {1, 100};
    private static final int WARMUP = 5;

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Log.redirect(new PrintStream(OutputStream.nullOutputStream())); // one JSON line per request would swamp the result
        try (SignetStack stack = SignetStack.builder().port(0).pollers(0).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = stack.baseUrl().toString();
            SqsClient sqs = stack.clients().sqs();
            String queue = stack.resources().deliveryQueueUrl();
            System.out.printf("ingest, local mode: %d timed requests per row (after %d warm-up), each with a fresh Idempotency-Key;%n"
                    + "latency is the HTTP round trip, answered once every delivery is queued%n", requests, WARMUP);
            System.out.printf("  %9s %14s %11s %9s %9s %9s %18s %14s%n", "endpoints", "events/request", "deliveries", "p50 ms", "p99 ms", "max ms",
                    "deliveries/s (p50)", "JVM CPU ms/req");
            for (int endpoints : ENDPOINTS) {
                String ingestKey = workspace(http, stack, "ingest-bench-" + endpoints, endpoints);
                for (int perRequest : EVENTS_PER_REQUEST) {
                    String path = perRequest == 1 ? "/v1/events" : "/v1/events/batch";
                    String body = perRequest == 1 ? VerifyingReceiver.SEED_EVENT
                            : "{\"events\":[" + String.join(",", java.util.Collections.nCopies(perRequest, VerifyingReceiver.SEED_EVENT)) + "]}";
                    int deliveries = endpoints * perRequest;
                    List<Double> millis = new ArrayList<>();
                    long cpu = 0;
                    for (int i = 0; i < WARMUP + requests; i++) {
                        int before = depth(sqs, queue);
                        long cpuBefore = OS.getProcessCpuTime();
                        long start = System.nanoTime();
                        JsonNode reply = Json.parse(post(http, base + path, ingestKey, body));
                        double ms = (System.nanoTime() - start) / 1e6;
                        long cpuUsed = OS.getProcessCpuTime() - cpuBefore;
                        int reported = perRequest == 1 ? reply.path("deliveries").asInt() : sum(reply.path("results"));
                        int queued = depth(sqs, queue) - before;
                        if (reported != deliveries || queued != deliveries) {
                            throw new IllegalStateException("expected " + deliveries + " deliveries, the reply says " + reported
                                    + " and the queue grew by " + queued);
                        }
                        sqs.purgeQueue(r -> r.queueUrl(queue));
                        if (i >= WARMUP) {
                            millis.add(ms);
                            cpu += cpuUsed;
                        }
                    }
                    double p50 = Stats.percentile(millis, 50);
                    System.out.printf("  %9d %14d %11d %9.1f %9.1f %9.1f %18.0f %14.0f%n", endpoints, perRequest, deliveries, p50,
                            Stats.percentile(millis, 99), Stats.max(millis), deliveries / (p50 / 1000), cpu / 1e6 / requests);
                }
            }
        }
    }

    /** A workspace with {@code endpoints} endpoints (never called: nothing polls the queue); returns its ingest key. */
    private static String workspace(HttpClient http, SignetStack stack, String id, int endpoints) throws Exception {
        String base = stack.baseUrl().toString();
        String ingestKey = Json.parse(VerifyingReceiver.post(http, base + "/v1/workspaces", stack.adminKey(),
                "{\"name\":\"Ingest bench\",\"id\":\"" + id + "\"}")).path("ingest_key").asText();
        String session = Json.parse(VerifyingReceiver.post(http, base + "/v1/workspaces/" + id + "/sessions", stack.adminKey(), "{}"))
                .path("token").asText();
        for (int i = 0; i < endpoints; i++) {
            VerifyingReceiver.post(http, base + "/v1/workspaces/" + id + "/endpoints", session,
                    "{\"url\":\"http://127.0.0.1:9/hooks/" + i + "\"}");
        }
        return ingestKey;
    }

    private static String post(HttpClient http, String url, String ingestKey, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("authorization", "Bearer " + ingestKey).header("content-type", "application/json")
                .header("idempotency-key", "bench-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static int sum(JsonNode results) {
        int n = 0;
        for (JsonNode r : results) {
            n += r.path("deliveries").asInt();
        }
        return n;
    }

    private static int depth(SqsClient sqs, String queueUrl) {
        return Integer.parseInt(sqs.getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
    }
}
