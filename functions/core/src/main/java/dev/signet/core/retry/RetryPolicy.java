package dev.signet.core.retry;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Decides what happens after an attempt: done, retry later, or give up. The rules (README, "What a delivery looks like"):
 * 2xx succeeds; 410 disables the endpoint and stops; everything else is retried on the schedule,
 * with {@code Retry-After} on 429/503 honoured within the schedule's bounds; a failed last attempt
 * is dead-lettered.
 */
public final class RetryPolicy {
    private final RetrySchedule schedule;
    private final int maxAttempts;
    private final DoubleSupplier random;

    public RetryPolicy(RetrySchedule schedule, int maxAttempts, DoubleSupplier random) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1");
        }
        this.schedule = schedule;
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * @param attempt 1-based number of the attempt that just ended
     * @param outcome what the receiver (or the network) did
     */
    public RetryDecision decide(int attempt, AttemptOutcome outcome) {
        return switch (outcome) {
            case AttemptOutcome.Succeeded s -> new RetryDecision.Done();
            case AttemptOutcome.Gone g -> new RetryDecision.DisableEndpoint();
            case AttemptOutcome.Abandoned a -> new RetryDecision.Abandon(a.reason());
            case AttemptOutcome.Failed f -> attempt >= maxAttempts
                    ? new RetryDecision.DeadLetter()
                    : new RetryDecision.RetryAfter(delay(attempt, f.retryAfter()));
        };
    }

    private Duration delay(int attempt, Duration retryAfter) {
        Duration scheduled = schedule.delayAfter(attempt, random);
        if (retryAfter == null || retryAfter.compareTo(scheduled) <= 0) {
            return scheduled;
        }
        // The receiver asked for more time: grant it, but never beyond the schedule's longest delay.
        Duration ceiling = schedule.longest();
        return retryAfter.compareTo(ceiling) > 0 ? ceiling : retryAfter;
    }
}
