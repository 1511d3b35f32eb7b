package dev.signet.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Failures a test plans for an in-memory port's operations, the way AWS produces them (a throttled
 * write, a timed-out read), or the way Lambda ends an invocation (an {@link Error} nothing after
 * survives): the next n calls of an operation throw, the nth call throws, or every call until
 * cleared; a call is held, as a slow one would be, until the test lets it go on; or every call takes
 * time ({@link #onEachCall} moving a {@link MutableClock}).
 */
public final class Faults {
    private static final long HOLD_LIMIT_SECONDS = 30;

    /** Skips {@code skip} calls, then fails {@code remaining} calls. */
    private record Plan(Supplier<? extends Throwable> failure, AtomicInteger skip, AtomicInteger remaining) {
    }

    private record Hold(CountDownLatch reached, CountDownLatch release, AtomicInteger remaining) {
    }

    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
    private final Map<String, Runnable> effects = new ConcurrentHashMap<>();

    /**
     * Every call of {@code operation} first runs {@code effect}, e.g. {@code () -> clock.advance(d)} for
     * a call that takes {@code d} on the test's clock.
     */
    public Faults onEachCall(String operation, Runnable effect) {
        effects.put(operation, effect);
        return this;
    }

    /** The next {@code times} calls of {@code operation} throw what {@code failure} makes. */
    public Faults failNext(String operation, int times, Supplier<? extends Throwable> failure) {
        plans.put(operation, new Plan(failure, new AtomicInteger(0), new AtomicInteger(times)));
        return this;
    }

    /** The {@code nth} call of {@code operation} from now (1 = the next) throws; the calls before it succeed. */
    public Faults failNth(String operation, int nth, Supplier<? extends RuntimeException> failure) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth counts from 1");
        }
        plans.put(operation, new Plan(failure, new AtomicInteger(nth - 1), new AtomicInteger(1)));
        return this;
    }

    /**
     * The next call of {@code operation} waits at its start until {@code release} opens (at most 30 s,
     * then it fails), then goes on normally. Returns a latch that opens once that call is waiting.
     */
    public CountDownLatch holdNext(String operation, CountDownLatch release) {
        return holdNext(operation, 1, release);
    }

    /** As {@link #holdNext(String, CountDownLatch)}, for the next {@code calls} calls; the latch opens at the first. */
    public CountDownLatch holdNext(String operation, int calls, CountDownLatch release) {
        Hold hold = new Hold(new CountDownLatch(1), release, new AtomicInteger(calls));
        holds.put(operation, hold);
        return hold.reached();
    }

    /** Every call of {@code operation} throws until {@link #clear}. */
    public Faults failAlways(String operation, Supplier<? extends Throwable> failure) {
        return failNext(operation, Integer.MAX_VALUE, failure);
    }

    public Faults clear(String operation) {
        plans.remove(operation);
        effects.remove(operation);
        return this;
    }

    /** How many calls of {@code operation} were made to fail. */
    public int failures(String operation) {
        AtomicInteger n = failed.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Called by a port at the start of {@code operation}. */
    void check(String operation) {
        Runnable effect = effects.get(operation);
        if (effect != null) {
            effect.run();
        }
        Hold hold = holds.get(operation);
        if (hold != null && hold.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            hold.reached().countDown();
            awaitRelease(operation, hold.release());
        }
        Plan plan = plans.get(operation);
        if (plan == null) {
            return;
        }
        if (plan.skip().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        if (plan.remaining().getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) > 0) {
            failed.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
            Throwable t = plan.failure().get();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e; // a dying invocation, as the runtime ends it
            }
            throw new IllegalStateException(t);
        }
        plans.remove(operation, plan);
    }

    private static void awaitRelease(String operation, CountDownLatch release) {
        try {
            if (!release.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(operation + " was held for " + HOLD_LIMIT_SECONDS + " s and never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(operation + " was interrupted while held", e);
        }
    }
}
