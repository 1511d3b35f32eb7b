package dev.signet.bench;

import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.local.SignetStack;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Local mode, end to end: the time from the product's {@code POST /v1/events} being sent to the
 * receiver having verified the signed request, for events emitted one at a time. Runs the whole
 * system (ElasticMQ, moto, the three handlers) in this JVM against a loopback receiver.
 *
 * <p>Usage: {@code scripts/bench latency [count]} (default 20 after 5 warm-up events).
 */
public final class EmitToVerifiedLatency {
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Log.redirect(new PrintStream(OutputStream.nullOutputStream())); // one JSON line per request would swamp the result
        int warmup = 5;
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        VerifyingReceiver receiver = new VerifyingReceiver();
        Map<String, Long> verifiedAt = receiver.verifiedAt();
        receiver.onVerified(id -> {
            CountDownLatch l = waiting.get(id);
            if (l != null) {
                l.countDown();
            }
        });

        try (SignetStack stack = SignetStack.builder().port(0).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = stack.baseUrl().toString();
            String ingestKey = receiver.register(http, stack);

            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < warmup + count; i++) {
                long start = System.nanoTime();
                CountDownLatch latch = new CountDownLatch(1);
                String id = Json.parse(VerifyingReceiver.post(http, base + "/v1/events", ingestKey, VerifyingReceiver.SEED_EVENT)).path("id").asText();
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
            receiver.close();
        }
    }

    private static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
    }

}
