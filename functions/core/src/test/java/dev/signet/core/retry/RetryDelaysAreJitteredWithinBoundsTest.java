package dev.signet.core.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "What a delivery looks like": each retry waits its scheduled delay ±20 %, so receivers recovering from an outage are
 * not hit by every retry at once; attempts past the end of the schedule keep its last delay.
 */
class RetryDelaysAreJitteredWithinBoundsTest {
    private static final List<Duration> DEFAULT_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    private static final double ALMOST_ONE = Math.nextDown(1.0);

    private final RetrySchedule schedule = RetrySchedule.defaults();

    @Test
    void theLowestRandomValueWaitsEightyPercent() {
        for (int attempt = 1; attempt <= DEFAULT_DELAYS.size(); attempt++) {
            Duration base = DEFAULT_DELAYS.get(attempt - 1);
            assertThat(schedule.delayAfter(attempt, () -> 0.0)).isEqualTo(Duration.ofMillis(base.toMillis() * 8 / 10));
        }
    }

    @Test
    void theMiddleRandomValueWaitsExactlyTheScheduledDelay() {
        for (int attempt = 1; attempt <= DEFAULT_DELAYS.size(); attempt++) {
            assertThat(schedule.delayAfter(attempt, () -> 0.5)).isEqualTo(DEFAULT_DELAYS.get(attempt - 1));
        }
    }

    @Test
    void theHighestRandomValueWaitsAtMostOneHundredTwentyPercent() {
        for (int attempt = 1; attempt <= DEFAULT_DELAYS.size(); attempt++) {
            Duration base = DEFAULT_DELAYS.get(attempt - 1);
            Duration delay = schedule.delayAfter(attempt, () -> ALMOST_ONE);
            assertThat(delay).isLessThanOrEqualTo(Duration.ofMillis(base.toMillis() * 12 / 10))
                    .isGreaterThan(Duration.ofMillis(base.toMillis() * 119 / 100));
        }
    }

    @Test
    void randomJitterAlwaysStaysWithinTwentyPercentAndUnderTheSqsLimit() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            int attempt = 1 + random.nextInt(DEFAULT_DELAYS.size());
            Duration base = DEFAULT_DELAYS.get(attempt - 1);
            Duration delay = schedule.delayAfter(attempt, random::nextDouble);
            assertThat(delay).isBetween(Duration.ofMillis(base.toMillis() * 8 / 10), Duration.ofMillis(base.toMillis() * 12 / 10));
            assertThat(delay).isLessThanOrEqualTo(RetrySchedule.MAX_DELAY);
        }
    }

    @Test
    void jitterActuallySpreadsRetries() {
        assertThat(schedule.delayAfter(4, () -> 0.1)).isNotEqualTo(schedule.delayAfter(4, () -> 0.9));
    }

    @Test
    void attemptsBeyondTheScheduleReuseItsLastDelay() {
        RetrySchedule demo = RetrySchedule.parse("1s,2s,5s");

        assertThat(demo.delayAfter(3, () -> 0.5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(demo.delayAfter(4, () -> 0.5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(demo.delayAfter(50, () -> 0.5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.delayAfter(9, () -> 0.5)).isEqualTo(Duration.ofHours(10));
    }

    @Test
    void noDelayIsShorterThanOneSecond() {
        RetrySchedule demo = RetrySchedule.parse("1s");

        assertThat(demo.delayAfter(1, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    }
}
