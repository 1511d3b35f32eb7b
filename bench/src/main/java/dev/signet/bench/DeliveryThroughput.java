package dev.signet.bench;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.WebhookBody;
import dev.signet.core.log.Log;
import dev.signet.core.retry.RetryPolicy;
import dev.signet.core.retry.RetrySchedule;
import dev.signet.core.signing.Signer;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.urlguard.UrlGuard;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.delivery.DeliveryWorker;
import dev.signet.delivery.WebhookClient;
import dev.signet.local.LocalLambdaContext;
import dev.signet.testkit.InMemoryStores;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Delivery throughput: the delivery function's core with its AWS ports replaced by in-process fakes
 * ({@link InMemoryStores}), sending signed 1 KiB envelopes to a loopback receiver, against a plain
 * JDK {@link HttpClient} loop posting the same bytes to the same receiver at the same concurrency.
 *
 * <ul>
 *   <li>{@code raw}: C virtual threads, each {@code HttpClient.send} of the same signed request (body and
 *       headers prepared once) in a loop.</li>
 *   <li>{@code WebhookClient alone}: C virtual threads, each {@code WebhookClient.send} of the same prepared
 *       request in a loop: the URL guard, pinning, the capped body and the deadline watch around the exchange.</li>
 *   <li>{@code worker}: C virtual threads, each {@code DeliveryWorker.process} in a loop (read the job,
 *       endpoint and secret from the caches, build, sign, URL guard, send, log, write the attempt).</li>
 *   <li>{@code handler}: C/10 drivers, each invoking {@code DeliveryHandler} with batches of 10 (as
 *       Lambda does): a batch ends when its slowest delivery does.</li>
 * </ul>
 * Every in-flight delivery has its own endpoint, so the per-endpoint cap (a deliberate limit, not
 * overhead) never binds. Rounds alternate the contenders; the report gives the median and range.
 *
 * <p>Usage: {@code scripts/bench throughput [concurrency] [rounds] [seconds] [receiver delay ms]}.
 */
public final class DeliveryThroughput {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int receiverDelay = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Log.redirect(new PrintStream(OutputStream.nullOutputStream())); // each attempt's JSON line is built, not printed

        try (LoopbackReceiver receiver = new LoopbackReceiver(receiverDelay)) {
            InMemoryStores ports = InMemoryStores.create();
            ports.events().discardAttempts();
            List<DeliveryJob> jobs = new ArrayList<>();
            Instant created = Instant.parse("2026-04-17T18:22:00Z");
            String payload = SigningBenchmark.payload(1024);
            for (int i = 0; i < Math.max(concurrency, 10); i++) {
                String ep = "ep_" + i;
                ports.config().put(new Endpoint(ep, "bench", receiver.url("/hooks/" + i), null, "POST", Endpoint.PayloadFormat.ENVELOPE,
                        List.of(), Map.of(), Endpoint.AuthType.NONE, 15, true, null,
                        ports.seal("bench", "", ep, EndpointCredentials.of(WebhookSecret.parse(SECRET), new OutboundAuth.None())), created, created));
                jobs.add(new DeliveryJob("bench", "", ep, "evt_01KBENCH" + i, "order.completed", created, "order", "ord_1", payload));
            }
            WebhookClient sender = new WebhookClient(UrlGuard.system(true, List.of("127.0.0.0/8")));
            DeliveryWorker worker = new DeliveryWorker(
                    new DeliveryWorker.Ports(ports.config(), ports.vault(Clock.systemUTC()), ports.events(), ports.queue(),
                            sender, Clock.systemUTC()),
                    new DeliveryWorker.Settings(new RetryPolicy(RetrySchedule.parse(RetrySchedule.DEFAULT), 8, () -> 0.5),
                            Duration.ofSeconds(30), "bench", 5, null, null, 100, Duration.ZERO, Duration.ofMillis(100)));
            DeliveryHandler handler = new DeliveryHandler(worker, ports.stats(), Clock.systemUTC());

            HttpClient raw = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
            byte[] envelope = WebhookBody.of(jobs.getFirst(), Endpoint.PayloadFormat.ENVELOPE);
            // The same request Signet sends (body and headers, signed once up front), so the receiver's
            // work is identical and the difference is Signet's own.
            long timestamp = Instant.now().getEpochSecond();
            String signature = Signer.signatureHeader(jobs.getFirst().eventId(), timestamp, envelope,
                    List.of(WebhookSecret.parse(SECRET)));

            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                measure(results, "raw HttpClient loop", concurrency, seconds, i -> () -> {
                    HttpResponse<byte[]> r = raw.send(HttpRequest.newBuilder(URI.create(receiver.url("/hooks/" + i)))
                            .timeout(Duration.ofSeconds(15)).header("content-type", "application/json")
                            .header("user-agent", "Signet/bench").header("webhook-id", jobs.getFirst().eventId())
                            .header("webhook-timestamp", Long.toString(timestamp)).header("webhook-signature", signature)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope)).build(), HttpResponse.BodyHandlers.ofByteArray());
                    if (r.statusCode() != 204) {
                        throw new IllegalStateException("receiver answered " + r.statusCode());
                    }
                });
                // Signet's sender alone, with the same prepared request: the URL guard, the pinning, the capped
                // body and the deadline watch, without the rest of a delivery.
                Map<String, String> prepared = new LinkedHashMap<>();
                prepared.put("content-type", "application/json");
                prepared.put("user-agent", "Signet/bench");
                prepared.put("webhook-id", jobs.getFirst().eventId());
                prepared.put("webhook-timestamp", Long.toString(timestamp));
                prepared.put("webhook-signature", signature);
                measure(results, "Signet WebhookClient alone", concurrency, seconds, i -> () -> {
                    if (!(sender.send("POST", receiver.url("/hooks/" + i), prepared, envelope, Duration.ofSeconds(15))
                            instanceof WebhookClient.Response r) || r.status() != 204) {
                        throw new IllegalStateException("the webhook was not answered 204");
                    }
                });
                measure(results, "Signet DeliveryWorker", concurrency, seconds, i -> {
                    DeliveryWorker.Message m = new DeliveryWorker.Message("m" + i, "r" + i, jobs.get(i).toMessageBody(), 1);
                    return () -> {
                        if (!worker.process(m)) {
                            throw new IllegalStateException("delivery failed");
                        }
                    };
                });
                if (concurrency % 10 == 0) {
                    measure(results, "Signet DeliveryHandler, batches of 10", concurrency / 10, seconds, d -> {
                        SQSEvent batch = batch(jobs, d);
                        return () -> {
                            var response = handler.handleRequest(batch, new LocalLambdaContext("signet-delivery", Duration.ofSeconds(60)));
                            if (!response.getBatchItemFailures().isEmpty()) {
                                throw new IllegalStateException("deliveries failed");
                            }
                        };
                    }, 10);
                }
            }
            System.out.printf("delivery throughput, concurrency %d, 1 KiB payload, receiver answers after %d ms, %d rounds of %d s (after 3 s warm-up each):%n",
                    concurrency, receiverDelay, rounds, seconds);
            double rawMedian = Stats.median(results.get("raw HttpClient loop"));
            double rawCpu = Stats.median(cpu.get("raw HttpClient loop"));
            results.forEach((name, rates) -> System.out.printf("  %-40s median %8.0f req/s   range %8.0f – %8.0f   %5.1f %% of raw;"
                            + "  CPU %6.1f µs/request (median), raw's is %5.1f %% of it%n",
                    name, Stats.median(rates), Stats.min(rates), Stats.max(rates), 100 * Stats.median(rates) / rawMedian,
                    Stats.median(cpu.get(name)), 100 * rawCpu / Stats.median(cpu.get(name))));
        }
    }

    /** CPU time of this whole process (all threads, user and system). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static final Map<String, List<Double>> cpu = new LinkedHashMap<>();

    private static SQSEvent batch(List<DeliveryJob> jobs, int driver) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            int i = driver * 10 + k;
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("m" + i);
            m.setReceiptHandle("r" + i);
            m.setBody(jobs.get(i).toMessageBody());
            m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static void measure(Map<String, List<Double>> results, String name, int threads, int seconds,
                                java.util.function.IntFunction<Op> ops) throws InterruptedException {
        measure(results, name, threads, seconds, ops, 1);
    }

    /** Runs {@code threads} loops for 3 s of warm-up plus {@code seconds}; records requests per second. */
    private static void measure(Map<String, List<Double>> results, String name, int threads, int seconds,
                                java.util.function.IntFunction<Op> ops, int requestsPerOp) throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        List<Thread> loops = new ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int t = 0; t < threads; t++) {
            Op op = ops.apply(t);
            loops.add(Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        op.run();
                        done.add(requestsPerOp);
                    } catch (Exception e) {
                        if (failed.sum() == 0) {
                            System.out.println("  (" + name + ": first failure: " + e + ")");
                        }
                        failed.increment();
                    }
                }
            }));
        }
        Thread.sleep(3_000);
        long c0 = done.sum();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        long c1 = done.sum();
        long cpu1 = cpuNanos();
        long t1 = System.nanoTime();
        stop.set(true);
        for (Thread t : loops) {
            t.join();
        }
        double rate = (c1 - c0) / ((t1 - t0) / 1e9);
        if (failed.sum() * 100 > done.sum()) {
            throw new IllegalStateException(name + ": " + failed.sum() + " of " + done.sum() + " operations failed");
        }
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
        double cpuPerRequest = (cpu1 - cpu0) / 1e3 / (c1 - c0);
        cpu.computeIfAbsent(name, k -> new ArrayList<>()).add(cpuPerRequest);
        System.out.printf("  %-40s %8.0f req/s  %6.1f µs CPU per request (this process: sender, receiver, kernel time)%s%n",
                name, rate, cpuPerRequest, failed.sum() == 0 ? "" : "   (" + failed.sum() + " failed, not counted)");
    }
}
