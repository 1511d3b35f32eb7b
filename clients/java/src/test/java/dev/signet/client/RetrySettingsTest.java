package dev.signet.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The waits between retries: exponential, jittered within the upper half of each step, capped, and Retry-After first. */
class RetrySettingsTest {
    private final RetrySettings settings = new RetrySettings(5, Duration.ofMillis(400), Duration.ofSeconds(2));

    @Test
    void eachStepDoublesUpToTheCapAndIsJitteredWithinItsUpperHalf() {
        RandomGenerator random = new SplittableRandom(7);
        long[] steps = {400, 800, 1600, 2000, 2000};
        for (int retry = 0; retry < steps.length; retry++) {
            for (int sample = 0; sample < 200; sample++) {
                assertThat(settings.delayBefore(retry, null, random).toMillis())
                        .as("retry %d", retry).isBetween(steps[retry] / 2, steps[retry]);
            }
        }
    }

    @Test
    void theJitterSpreadsClientsThatFailedTogether() {
        RandomGenerator random = new SplittableRandom(11);
        var seen = new java.util.HashSet<Duration>();
        for (int i = 0; i < 50; i++) {
            seen.add(settings.delayBefore(2, null, random));
        }
        assertThat(seen).hasSizeGreaterThan(10);
    }

    @Test
    void retryAfterReplacesTheComputedDelayUnlessItIsLongerThanTheCap() {
        RandomGenerator random = new SplittableRandom(1);
        assertThat(settings.delayBefore(0, Duration.ofSeconds(2), random)).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.delayBefore(3, Duration.ZERO, random)).isEqualTo(Duration.ZERO);
        assertThat(settings.delayBefore(0, Duration.ofSeconds(3), random)).isNull();
    }

    @Test
    void retriesStopAfterMaxRetries() {
        RandomGenerator random = new SplittableRandom(1);
        assertThat(settings.delayBefore(4, null, random)).isNotNull();
        assertThat(settings.delayBefore(5, null, random)).isNull();
        assertThat(RetrySettings.none().delayBefore(0, null, random)).isNull();
    }

    @Test
    void manyRetriesDoNotOverflowTheStep() {
        RetrySettings many = new RetrySettings(100, Duration.ofSeconds(1), Duration.ofSeconds(30));
        assertThat(many.delayBefore(80, null, new SplittableRandom(3))).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
    }

    @Test
    void nonsenseSettingsAreRefusedWithWhatToFix() {
        assertThatThrownBy(() -> new RetrySettings(-1, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> new RetrySettings(1, Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("initialDelay <= maxDelay");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertThat(Transport.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(Transport.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        String inAMinute = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60));
        assertThat(Transport.retryAfter(inAMinute)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
        assertThat(Transport.retryAfter("soon")).isNull();
    }
}
