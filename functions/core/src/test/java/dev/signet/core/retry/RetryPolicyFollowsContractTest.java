package dev.signet.core.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * README, "What a delivery looks like": 2xx succeeds, 410 disables the endpoint, everything else is retried on the schedule
 * (Retry-After honoured within its bounds) until the last attempt, which is dead-lettered.
 */
class RetryPolicyFollowsContractTest {
    private static final List<Duration> DEFAULT_DELAYS = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));

    /** 0.5 means no jitter, so the expected delays are the schedule's own. */
    private final RetryPolicy policy = new RetryPolicy(RetrySchedule.defaults(), 8, () -> 0.5);

    private static AttemptOutcome failed() {
        return new AttemptOutcome.Failed(null);
    }

    private static AttemptOutcome failedWithRetryAfter(Duration d) {
        return new AttemptOutcome.Failed(d);
    }

    @Test
    void aSuccessIsDoneOnAnyAttempt() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            assertThat(policy.decide(attempt, new AttemptOutcome.Succeeded())).isEqualTo(new RetryDecision.Done());
        }
    }

    @Test
    void goneDisablesTheEndpointOnAnyAttempt() {
        for (int attempt = 1; attempt <= 8; attempt++) {
            assertThat(policy.decide(attempt, new AttemptOutcome.Gone())).isEqualTo(new RetryDecision.DisableEndpoint());
        }
    }

    @Test
    void failuresBeforeTheLastAttemptAreRetriedAfterTheScheduledDelay() {
        for (int attempt = 1; attempt < 8; attempt++) {
            assertThat(policy.decide(attempt, failed()))
                    .as("after attempt %d", attempt)
                    .isEqualTo(new RetryDecision.RetryAfter(DEFAULT_DELAYS.get(attempt - 1)));
        }
    }

    @Test
    void aFailedLastAttemptIsDeadLettered() {
        assertThat(policy.maxAttempts()).isEqualTo(8);
        assertThat(policy.decide(8, failed())).isEqualTo(new RetryDecision.DeadLetter());
        assertThat(policy.decide(9, failed())).isEqualTo(new RetryDecision.DeadLetter());
        assertThat(policy.decide(8, failedWithRetryAfter(Duration.ofSeconds(30)))).isEqualTo(new RetryDecision.DeadLetter());
    }

    @Test
    void aConfiguredAttemptLimitDeadLettersEarlier() {
        RetryPolicy three = new RetryPolicy(RetrySchedule.defaults(), 3, () -> 0.5);

        assertThat(three.decide(2, failed())).isEqualTo(new RetryDecision.RetryAfter(Duration.ofMinutes(5)));
        assertThat(three.decide(3, failed())).isEqualTo(new RetryDecision.DeadLetter());
    }

    @Test
    void aSingleAttemptPolicyDeadLettersTheFirstFailure() {
        RetryPolicy one = new RetryPolicy(RetrySchedule.defaults(), 1, () -> 0.5);

        assertThat(one.decide(1, failed())).isEqualTo(new RetryDecision.DeadLetter());
    }

    @Test
    void anAbandonedDeliveryIsAbandonedWithItsReason() {
        assertThat(policy.decide(1, new AttemptOutcome.Abandoned("endpoint was deleted")))
                .isEqualTo(new RetryDecision.Abandon("endpoint was deleted"));
        assertThat(policy.decide(8, new AttemptOutcome.Abandoned("endpoint is disabled")))
                .isEqualTo(new RetryDecision.Abandon("endpoint is disabled"));
    }

    @Test
    void aLongerRetryAfterIsHonoured() {
        assertThat(policy.decide(1, failedWithRetryAfter(Duration.ofMinutes(2))))
                .isEqualTo(new RetryDecision.RetryAfter(Duration.ofMinutes(2)));
        assertThat(policy.decide(3, failedWithRetryAfter(Duration.ofHours(1))))
                .isEqualTo(new RetryDecision.RetryAfter(Duration.ofHours(1)));
    }

    @Test
    void aRetryAfterBeyondTheLongestScheduledDelayIsCappedAtIt() {
        assertThat(policy.decide(1, failedWithRetryAfter(Duration.ofDays(2))))
                .isEqualTo(new RetryDecision.RetryAfter(Duration.ofHours(10)));
        assertThat(policy.decide(1, failedWithRetryAfter(Duration.ofSeconds(Long.MAX_VALUE / 2))))
                .isEqualTo(new RetryDecision.RetryAfter(Duration.ofHours(10)));
    }

    @Test
    void aShorterRetryAfterDoesNotShortenTheSchedule() {
        assertThat(policy.decide(3, failedWithRetryAfter(Duration.ofSeconds(1))))
                .isEqualTo(new RetryDecision.RetryAfter(Duration.ofMinutes(30)));
        assertThat(policy.decide(2, failedWithRetryAfter(Duration.ZERO)))
                .isEqualTo(new RetryDecision.RetryAfter(Duration.ofMinutes(5)));
    }

    @Test
    void aRetryAfterIsCappedAtTheLongestDelayOfADemoSchedule() {
        RetryPolicy demo = new RetryPolicy(RetrySchedule.parse("1s,2s,5s"), 4, () -> 0.5);

        assertThat(demo.decide(1, failedWithRetryAfter(Duration.ofMinutes(1))))
                .isEqualTo(new RetryDecision.RetryAfter(Duration.ofSeconds(5)));
    }

    @Test
    void retriedDelaysCarryJitter() {
        RetryPolicy low = new RetryPolicy(RetrySchedule.defaults(), 8, () -> 0.0);

        assertThat(low.decide(2, failed())).isEqualTo(new RetryDecision.RetryAfter(Duration.ofMinutes(4)));
    }

    @Test
    void aPolicyNeedsAtLeastOneAttempt() {
        assertThatThrownBy(() -> new RetryPolicy(RetrySchedule.defaults(), 0, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
