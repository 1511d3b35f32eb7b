package dev.signet.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.local.SignetStack;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Local mode, end to end, under load: E emitters post single events through the local API Gateway
 * bridge as fast as they are accepted; the delivery function (fed by P pollers standing in for the
 * event source mapping) signs and sends each to a loopback receiver that verifies the signature.
 * Reports events per second from the first emit to the last verified receipt, the emit-to-receipt
 * latency (p50, p99), the handlers' own durations (from their log lines), and how busy each process
 * was, which names the bottleneck: moto (DynamoDB, Secrets Manager) is one Python process.
 *
 * <p>Usage: {@code scripts/bench e2e [events] [emitters] [pollers]} (default 500, 4, 2).
 */
public final class EndToEnd {
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int emitters = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int pollers = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int perRequest = args.length > 3 ? Integer.parseInt(args[3]) : 1; // >1: POST /v1/events/batch with that many
        int warmup = 50;
        LogTap logs = new LogTap();
        Log.redirect(logs.stream);

        VerifyingReceiver receiver = new VerifyingReceiver();
        Map<String, Long> verifiedAt = receiver.verifiedAt();

        List<Double> deliveryInvocationMs = Collections.synchronizedList(new ArrayList<>());
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        try (SignetStack stack = SignetStack.builder().port(0).pollers(pollers).deliveryFunction((cfg, stores) -> {
            DeliveryHandler real = new DeliveryHandler(cfg, stores, Clock.systemUTC());
            return (RequestHandler<SQSEvent, SQSBatchResponse>) (event, context) -> {
                long t = System.nanoTime();
                SQSBatchResponse r = real.handleRequest(event, context);
                deliveryInvocationMs.add((System.nanoTime() - t) / 1e6);
                batchSizes.add(event.getRecords().size());
                return r;
            };
        }).start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = stack.baseUrl().toString();
            String ingestKey = receiver.register(http, stack);

            run(http, base, ingestKey, warmup, emitters, perRequest, verifiedAt); // warm-up: JIT, caches, connections
            deliveryInvocationMs.clear();
            batchSizes.clear();
            logs.clear();
            verifiedAt.clear();

            long motoPid = motoPid(stack.emulators().dynamoAndSecretsEndpoint().getPort());
            long motoCpu0 = cpuTicks(motoPid);
            long jvmCpu0 = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            long t0 = System.nanoTime();
            Map<String, Long> emitted = run(http, base, ingestKey, events, emitters, perRequest, verifiedAt);
            long t1 = verifiedAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
            double seconds = (t1 - t0) / 1e9;
            double motoCpu = (cpuTicks(motoPid) - motoCpu0) / 100.0;
            double jvmCpu = (((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() - jvmCpu0) / 1e9;

            List<Double> latency = new ArrayList<>();
            emitted.forEach((id, start) -> latency.add((verifiedAt.get(id) - start) / 1e6));
            List<Double> ingestMs = logs.durations("api request");
            List<Double> sendMs = logs.durations("delivery attempt");
            System.out.printf("end to end, local mode: %d events %s (after %d warm-up), %d emitters, %d delivery pollers, 1 endpoint:%n",
                    events, perRequest == 1 ? "one per POST /v1/events" : perRequest + " per POST /v1/events/batch", warmup, emitters, pollers);
            System.out.printf("  throughput          %.0f events/s (first emit to last verified receipt: %.2f s)%n", events / seconds, seconds);
            System.out.printf("  emit-to-receipt     p50 %.1f ms   p99 %.1f ms   max %.1f ms%n",
                    Stats.percentile(latency, 50), Stats.percentile(latency, 99), Stats.max(latency));
            System.out.printf("  ingest handler      p50 %.0f ms   p99 %.0f ms   (per request, from its log line)%n",
                    Stats.percentile(ingestMs, 50), Stats.percentile(ingestMs, 99));
            System.out.printf("  delivery handler    p50 %.0f ms   p99 %.0f ms   per invocation; %.1f messages per batch on average%n",
                    Stats.percentile(deliveryInvocationMs, 50), Stats.percentile(deliveryInvocationMs, 99),
                    batchSizes.stream().mapToInt(Integer::intValue).average().orElse(0));
            System.out.printf("  receiver round trip p50 %.0f ms   (the POST inside a delivery, from its log line)%n", Stats.percentile(sendMs, 50));
            System.out.printf("  CPU busy            moto %.0f %% of one core; this JVM (Signet, ElasticMQ, receiver, emitters) %.0f %% of %d cores%n",
                    100 * motoCpu / seconds, 100 * jvmCpu / seconds / Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            receiver.close();
        }
    }

    /** Emits {@code count} events from {@code emitters} threads; returns id → emit start, once all were verified. */
    private static Map<String, Long> run(HttpClient http, String base, String ingestKey, int count, int emitters,
                                         int perRequest, Map<String, Long> verifiedAt) throws Exception {
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < perRequest; i++) {
            batch.append(i == 0 ? "" : ",").append(VerifyingReceiver.SEED_EVENT);
        }
        String batchBody = batch.append("]}").toString();
        Map<String, Long> emitted = new ConcurrentHashMap<>();
        Semaphore left = new Semaphore(count / perRequest);
        CountDownLatch done = new CountDownLatch(emitters);
        for (int e = 0; e < emitters; e++) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (left.tryAcquire()) {
                        long start = System.nanoTime();
                        if (perRequest == 1) {
                            emitted.put(Json.parse(VerifyingReceiver.post(http, base + "/v1/events", ingestKey, VerifyingReceiver.SEED_EVENT)).path("id").asText(), start);
                        } else {
                            for (JsonNode r : Json.parse(VerifyingReceiver.post(http, base + "/v1/events/batch", ingestKey, batchBody)).path("results")) {
                                emitted.put(r.path("id").asText(), start);
                            }
                        }
                    }
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                } finally {
                    done.countDown();
                }
            });
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("emitters did not finish");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!verifiedAt.keySet().containsAll(emitted.keySet())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not every event was delivered within 120 s");
            }
            Thread.sleep(5);
        }
        return emitted;
    }

    /** The moto_server listening on {@code port}, found by its command line (only to read its CPU time). */
    private static long motoPid(int port) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("moto_server") && c.contains(" " + port)).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    /** User + system CPU of a process in clock ticks (100 per second), from /proc. */
    private static long cpuTicks(long pid) throws Exception {
        if (pid < 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long self = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        long children = Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return self + children;
    }

    /** Keeps the functions' log lines in memory to read their {@code duration_ms} fields. */
    private static final class LogTap {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        synchronized void clear() {
            bytes.reset();
        }

        List<Double> durations(String message) throws Exception {
            String text;
            synchronized (this) {
                text = bytes.toString(StandardCharsets.UTF_8);
            }
            List<Double> out = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.contains("\"message\":\"" + message + "\"")) {
                    JsonNode n = Json.parse(line);
                    if (!n.path("path").asText("/v1/events").startsWith("/v1/workspaces")) {
                        out.add(n.path("duration_ms").asDouble());
                    }
                }
            }
            return out.isEmpty() ? List.of(0.0) : out;
        }
    }
}
