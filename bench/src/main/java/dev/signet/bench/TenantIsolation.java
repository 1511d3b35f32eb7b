package dev.signet.bench;

import com.sun.net.httpserver.HttpServer;
import dev.signet.core.log.Log;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Tenant isolation in local mode (10 delivery function instances, 2 pollers): workspace B's
 * emit-to-receipt latency for events sent one at a time, first alone, then while workspace A floods
 * one endpoint that answers after 8 s (timeout 10 s) with a batch of 100 events; and how long A's
 * flood takes to drain.
 *
 * <p>Usage: {@code scripts/bench isolation [B events per phase]} (default 20).
 */
public final class TenantIsolation {
    private static final String EVENT = "{\"event\":\"order.completed\",\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900}}";

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        Map<String, Long> fastAt = new ConcurrentHashMap<>();
        Map<String, Long> slowAt = new ConcurrentHashMap<>();
        HttpServer fast = receiver(fastAt, Duration.ZERO);
        HttpServer slow = receiver(slowAt, Duration.ofSeconds(8));
        try (SignetStack stack = SignetStack.builder().retrySchedule("5s,5s,5s").pollers(2).concurrency(10).start()) {
            ApiClient api = stack.api();
            String aKey = workspace(api, stack.adminKey(), "flooding", "{\"url\":\"http://127.0.0.1:" + slow.getAddress().getPort()
                    + "/hooks\",\"timeout_seconds\":10}");
            String bKey = workspace(api, stack.adminKey(), "quiet", "{\"url\":\"http://127.0.0.1:" + fast.getAddress().getPort() + "/hooks\"}");

            emitOneAtATime(api, bKey, 5, fastAt); // warm-up
            List<Double> alone = emitOneAtATime(api, bKey, count, fastAt);

            StringJoiner batch = new StringJoiner(",", "{\"events\":[", "]}");
            for (int i = 0; i < 100; i++) {
                batch.add(EVENT);
            }
            long floodStart = System.nanoTime();
            api.post("/v1/events/batch", aKey, batch.toString());
            Thread.sleep(2000);
            List<Double> duringFlood = emitOneAtATime(api, bKey, count, fastAt);
            while (slowAt.size() < 100) {
                Thread.sleep(100);
            }
            double drainS = (System.nanoTime() - floodStart) / 1e9;

            System.out.printf("B, %d events one at a time, emit-to-receipt:%n", count);
            System.out.printf("  alone                     p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n",
                    Stats.median(alone), Stats.percentile(alone, 99), Stats.max(alone));
            System.out.printf("  during A's flood          p50 %7.1f ms  p99 %7.1f ms  max %7.1f ms%n",
                    Stats.median(duringFlood), Stats.percentile(duringFlood, 99), Stats.max(duringFlood));
            System.out.printf("A, 100 events to an endpoint answering in 8 s: all delivered %.0f s after the flood was emitted%n", drainS);
        } finally {
            fast.stop(0);
            slow.stop(0);
        }
    }

    private static String workspace(ApiClient api, String admin, String id, String endpoint) {
        String key = api.post("/v1/workspaces", admin, "{\"name\":\"" + id + "\",\"id\":\"" + id + "\"}").text("ingest_key");
        String session = api.post("/v1/workspaces/" + id + "/sessions", admin, "{}").text("token");
        api.post("/v1/workspaces/" + id + "/endpoints", session, endpoint);
        return key;
    }

    private static List<Double> emitOneAtATime(ApiClient api, String key, int n, Map<String, Long> receivedAt) throws InterruptedException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            String id = api.post("/v1/events", key, EVENT).text("id");
            while (!receivedAt.containsKey(id)) {
                Thread.sleep(2);
            }
            ms.add((receivedAt.get(id) - start) / 1e6);
        }
        return ms;
    }

    /** A loopback receiver noting when each webhook-id first arrived, answering after {@code delay}. */
    private static HttpServer receiver(Map<String, Long> receivedAt, Duration delay) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            receivedAt.putIfAbsent(ex.getRequestHeaders().getFirst("webhook-id"), System.nanoTime());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        return server;
    }
}
