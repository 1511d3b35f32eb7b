package dev.signet.core.aws;

import dev.signet.core.ids.Randomness;
import dev.signet.core.log.Log;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * A function's SnapStart priming hook: before the snapshot it runs {@link #prime()} (the function's own
 * code on {@link PrimingClients}, which never connect) many times, then waits for the JIT to finish
 * compiling, so a restored instance starts with the hot path compiled by C2 rather than interpreted.
 * After a restore there is nothing to renew: priming keeps no connection, id or random state.
 *
 * <p>With SnapStart, Lambda's java25 runtime keeps the JVM's full tiered compiler (it stops at C1 only
 * without SnapStart or provisioned concurrency), because compiling before the snapshot costs no
 * request anything. A method reaches C2 after a few thousand calls ({@code Tier4InvocationThreshold}
 * is 5,000, with loops counted too), so one run of each path would only load classes: {@link #RUNS}
 * runs take each function's path past that (BENCHMARKS.md, "C1 or C2").
 */
public abstract class SnapStartPriming implements Resource {
    /**
     * How often {@link #prime()} runs each function's path by default: enough for the JIT to compile its
     * hot methods with C2 (measured with {@code -XX:+PrintCompilation}, BENCHMARKS.md).
     */
    public static final int RUNS = 3_000;
    /**
     * The longest the repeated runs may take. SnapStart allows initialization, priming included, 130 s
     * or the function's timeout, whichever is longer; a slow build machine stops early rather than fail
     * the deployment.
     */
    public static final Duration BUDGET = Duration.ofSeconds(40);
    /** The longest {@link #beforeCheckpoint} waits for the JIT to finish what priming queued. */
    static final Duration JIT_SETTLE_BUDGET = Duration.ofSeconds(10);

    private final int runs;

    /** @param runs how often {@link #prime()} runs each path ({@link #RUNS}; tests use a few) */
    protected SnapStartPriming(int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1");
        }
        this.runs = runs;
    }

    /** Registers the hook with the runtime; the caller keeps the returned reference (org.crac holds it weakly). */
    public static <T extends SnapStartPriming> T register(T priming) {
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** @return the calls the canned AWS clients answered (none reached AWS) */
    protected abstract int prime();

    /** How often {@link #prime()} should run each path. */
    public final int runs() {
        return runs;
    }

    /**
     * Runs {@code run} {@link #runs()} times, or fewer once {@link #BUDGET} has passed (at least once).
     *
     * @return how many times it ran
     */
    protected final int repeat(Runnable run) {
        long end = System.nanoTime() + BUDGET.toNanos();
        int done = 0;
        while (done < runs && (done == 0 || System.nanoTime() < end)) {
            run.run();
            done++;
        }
        return done;
    }

    /**
     * Runs {@link #prime()} and checks its promise: were it to create the random source, every copy
     * restored from the snapshot would share its state, so that is refused.
     *
     * @return the calls the canned AWS clients answered
     * @throws IllegalStateException if priming created the random source
     */
    public final int primeChecked() {
        boolean before = Randomness.created();
        // The primed requests' log lines are not requests anyone made; their ids and keys are throwaway.
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        int calls;
        try {
            calls = Randomness.forPriming(this::prime);
        } finally {
            Log.redirect(System.out);
        }
        if (!before && Randomness.created()) {
            throw new IllegalStateException(getClass().getSimpleName() + " created the random source before the snapshot");
        }
        return calls;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        primeChecked();
        awaitCompiler(JIT_SETTLE_BUDGET);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to renew: priming kept no connection, id or random state
    }

    /**
     * Waits until the JIT has stopped compiling (its total compilation time stayed put for 200 ms), at
     * most {@code budget}: compilation runs on background threads, and a method still queued when the
     * snapshot is taken would be compiled again in every restored instance, on request time.
     *
     * @return whether the compiler went quiet within the budget
     */
    public static boolean awaitCompiler(Duration budget) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return false;
        }
        long end = System.nanoTime() + budget.toNanos();
        long last = jit.getTotalCompilationTime();
        int quiet = 0;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            long now = jit.getTotalCompilationTime();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
            if (quiet >= 4) {
                return true;
            }
        }
        return false;
    }
}
