package dev.signet.testkit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Failures a test plans for an in-memory port's operations, the way AWS produces them (a throttled
 * write, a timed-out read), or the way Lambda ends an invocation (an {@link Error} nothing after
 * survives): the next n calls of an operation throw, or every call until cleared; or every call takes
 * time ({@link #onEachCall} moving a {@link MutableClock}).
 */
public final class Faults {
    private record Plan(Supplier<? extends Throwable> failure, AtomicInteger remaining) {
    }

    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
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
        plans.put(operation, new Plan(failure, new AtomicInteger(times)));
        return this;
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
        Plan plan = plans.get(operation);
        if (plan == null) {
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
}
