package dev.signet.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Real time plus an offset the test moves forward: for integration tests whose emulators and pollers
 * need time to pass, but whose Signet code should believe days went by; or, with
 * {@link #advanceOnEachRead}, that every step of a request took a while.
 */
public final class ShiftedClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private volatile Duration perRead = Duration.ZERO;

    public ShiftedClock shift(Duration by) {
        offset.updateAndGet(o -> o.plus(by));
        return this;
    }

    /** From now on each read of the clock moves it {@code step} further ({@link Duration#ZERO} stops that). */
    public ShiftedClock advanceOnEachRead(Duration step) {
        perRead = step;
        return this;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Duration step = perRead;
        return Instant.now().plus(step.isZero() ? offset.get() : offset.updateAndGet(o -> o.plus(step)));
    }
}
