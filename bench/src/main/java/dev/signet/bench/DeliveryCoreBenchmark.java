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
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The delivery core's own CPU per delivery, without the HTTP exchange: {@link DeliveryWorker#process} of a
 * 1 KiB job to a warm endpoint (config and secret cached, pace known to be fast) whose sender answers 204
 * at once, with in-process stores: parsing the message, admission, building and signing the body, the
 * attempt record, the log line with its metrics, settling. What {@code scripts/bench throughput} adds to
 * a raw HTTP client's work per request, less what {@code WebhookClient} does around the exchange (the URL
 * guard, pinning, the bounded body).
 *
 * <p>Run by {@code scripts/bench jmh DeliveryCore}; never part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class DeliveryCoreBenchmark {
    private DeliveryWorker worker;
    private DeliveryWorker.Message message;

    @Setup
    public void setUp() {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream())); // each attempt's JSON line is built, not printed
        InMemoryStores ports = InMemoryStores.create();
        ports.events().discardAttempts();
        Instant created = Instant.parse("2026-04-17T18:22:00Z");
        ports.config().put(new Endpoint("ep_bench", "bench", "https://hooks.example.com/signet", null, "POST", Endpoint.PayloadFormat.ENVELOPE,
                List.of(), Map.of(), Endpoint.AuthType.NONE, 15, true, null,
                ports.seal("bench", "", "ep_bench", EndpointCredentials.of(WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                        new OutboundAuth.None())), created, created));
        WebhookSender instant = (method, url, headers, body, timeout) -> new WebhookSender.Response(204, Map.of(), new byte[0], 1);
        worker = new DeliveryWorker(new DeliveryWorker.Ports(ports.config(), ports.vault(Clock.systemUTC()), ports.events(), ports.queue(), instant,
                Clock.systemUTC()), new DeliveryWorker.Settings(new RetryPolicy(RetrySchedule.parse(RetrySchedule.DEFAULT), 8, () -> 0.5),
                Duration.ofSeconds(30), "bench", 5, null, null, 100, Duration.ZERO, Duration.ofMillis(100)));
        DeliveryJob job = new DeliveryJob("bench", "", "ep_bench", "evt_01KBENCH0000000000000000000", "order.completed", created,
                "order", "ord_1", SigningBenchmark.payload(1024));
        message = new DeliveryWorker.Message("m", "r", job.toMessageBody(), 1);
        for (int i = 0; i < 5; i++) {
            worker.process(message); // the endpoint's pace becomes known (fast): no shared slots from here on
        }
    }

    /** One delivery, from the queue message to the settled attempt, to a sender that answers at once. */
    @Benchmark
    public boolean deliver() {
        return worker.process(message);
    }
}
