package dev.signet.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How the client retries a call that failed in a way worth retrying (429, 5xx, no connection):
 * up to {@code maxRetries} more times, waiting an exponentially growing, jittered delay that starts
 * at {@code initialDelay} and never exceeds {@code maxDelay}. A {@code Retry-After} from the server
 * replaces the computed delay; one longer than {@code maxDelay} ends the retries, and the error
 * carries it ({@link SignetApiException#retryAfter()}) for the caller to schedule.
 */
public record RetrySettings(int maxRetries, Duration initialDelay, Duration maxDelay) {
    public RetrySettings {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
        }
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + " and " + maxDelay);
        }
    }

    /** 3 retries, 0.5 s doubling up to 20 s. */
    public static RetrySettings defaults() {
        return new RetrySettings(3, Duration.ofMillis(500), Duration.ofSeconds(20));
    }

    /** Never retry. */
    public static RetrySettings none() {
        return new RetrySettings(0, Duration.ZERO, Duration.ZERO);
    }

    /**
     * The wait before retry number {@code retry} (0 for the first), or null to stop retrying.
     * Without {@code Retry-After}: "equal jitter", a random point in the upper half of the
     * exponential step, so that many clients failing together do not come back together, yet each
     * waits at least half the step.
     */
    Duration delayBefore(int retry, Duration retryAfter, RandomGenerator random) {
        if (retry >= maxRetries) {
            return null;
        }
        if (retryAfter != null) {
            return retryAfter.compareTo(maxDelay) > 0 ? null : retryAfter;
        }
        long initial = initialDelay.toMillis();
        long max = maxDelay.toMillis();
        long step = retry < 62 && initial <= max >> retry ? initial << retry : max;
        long half = step / 2;
        return Duration.ofMillis(half + (step - half == 0 ? 0 : random.nextLong(step - half + 1)));
    }
}
