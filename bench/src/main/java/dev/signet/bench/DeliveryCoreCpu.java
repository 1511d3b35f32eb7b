package dev.signet.bench;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.log.Log;
import dev.signet.core.retry.RetryPolicy;
import dev.signet.core.retry.RetrySchedule;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.delivery.DeliveryWorker;
import dev.signet.delivery.WebhookSender;
import dev.signet.testkit.InMemoryStores;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The delivery core's own CPU per delivery, in CPU time of the delivering thread rather than wall time,
 * so it holds still on a machine others are loading: {@link DeliveryWorker#process} of a 1 KiB job to a
 * warm endpoint (config and credentials cached, pace known to be fast) whose sender answers 204 at once,
 * with in-process stores. Everything {@code scripts/bench throughput}'s worker does per request except
 * {@code WebhookClient} (URL guard, pinning, the HTTP exchange): parsing the message, admission, building
 * and signing the body, the attempt id and record, the log line with its metrics, the statistics, settling.
 *
 * <p>Usage: {@code scripts/bench core [rounds] [deliveries per round]}; prints each round and the median.
 */
public final class DeliveryCoreCpu {
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        Log.redirect(new PrintStream(OutputStream.nullOutputStream())); // each attempt's JSON line is built, not printed
        Setup core = Setup.create();
        DeliveryWorker worker = core.worker();
        DeliveryWorker.Message message = core.message();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < perRound; i++) {
            deliver(worker, message); // warm-up: the JIT compiles the path, the endpoint's pace becomes known (fast)
        }
        List<Double> perDelivery = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < perRound; i++) {
                deliver(worker, message);
            }
            double us = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / perRound;
            perDelivery.add(us);
            System.out.printf("  round %d: %.2f µs CPU per delivery%n", round, us);
        }
        System.out.printf("delivery core, 1 KiB, instant sender: median %.2f µs CPU per delivery (min %.2f, max %.2f) over %d rounds of %,d%n",
                Stats.median(perDelivery), Stats.min(perDelivery), Stats.max(perDelivery), rounds, perRound);
    }

    /** A delivery worker on in-process stores and a sender that answers 204 at once, and a 1 KiB job for its one endpoint. */
    record Setup(DeliveryWorker worker, DeliveryWorker.Message message) {
        static Setup create() {
            InMemoryStores ports = InMemoryStores.create();
            ports.events().discardAttempts();
            Instant created = Instant.parse("2026-04-17T18:22:00Z");
            ports.config().put(new Endpoint("ep_bench", "bench", "https://hooks.example.com/signet", null, "POST", Endpoint.PayloadFormat.ENVELOPE,
                    List.of(), Map.of(), Endpoint.AuthType.NONE, 15, true, null,
                    ports.seal("bench", "", "ep_bench", EndpointCredentials.of(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                            new OutboundAuth.None())), created, created));
            WebhookSender instant = (method, url, headers, body, timeout) -> new WebhookSender.Response(204, Map.of(), new byte[0], 1);
            DeliveryWorker worker = new DeliveryWorker(new DeliveryWorker.Ports(ports.config(), ports.vault(Clock.systemUTC()), ports.events(),
                    ports.queue(), instant, Clock.systemUTC()), new DeliveryWorker.Settings(new RetryPolicy(RetrySchedule.parse(RetrySchedule.DEFAULT),
                    8, () -> 0.5), Duration.ofSeconds(30), "bench", 5, null, null, 100, Duration.ZERO, Duration.ofMillis(100)));
            DeliveryJob job = new DeliveryJob("bench", "", "ep_bench", "evt_01KBENCH0000000000000000000", "order.completed", created,
                    "order", "ord_1", SigningBenchmark.payload(1024));
            DeliveryWorker.Message message = new DeliveryWorker.Message("m", "r", job.toMessageBody(), 1);
            return new Setup(worker, message);
        }
    }

    private static void deliver(DeliveryWorker worker, DeliveryWorker.Message message) {
        if (!worker.process(message)) {
            throw new IllegalStateException("the delivery was not settled");
        }
    }
}
