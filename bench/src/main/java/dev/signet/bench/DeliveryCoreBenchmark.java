package dev.signet.bench;

import dev.signet.core.log.Log;
import dev.signet.delivery.DeliveryWorker;
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
        DeliveryCoreCpu.Setup core = DeliveryCoreCpu.Setup.create();
        worker = core.worker();
        message = core.message();
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
