package dev.signet.core.aws;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQS delays and visibility timeouts are whole seconds. A delivery's next attempt is due at an instant,
 * so its delay is rounded up: rounded down, the message would come back before it is due and be hidden
 * again for the fraction of a second that is left, which SQS rounds to 0, in a loop until it is due.
 */
class MessagesNeverComeBackBeforeTheyAreDueTest {
    @Test
    void delaysRoundUpToWholeSeconds() {
        assertThat(SqsDeliveryQueue.wholeSecondsUp(Duration.ofMillis(1400))).isEqualTo(2);
        assertThat(SqsDeliveryQueue.wholeSecondsUp(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(SqsDeliveryQueue.wholeSecondsUp(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(SqsDeliveryQueue.wholeSecondsUp(Duration.ofSeconds(900))).isEqualTo(900);
    }

    @Test
    void aDueOrOverdueDelayIsNone() {
        assertThat(SqsDeliveryQueue.wholeSecondsUp(Duration.ZERO)).isZero();
        assertThat(SqsDeliveryQueue.wholeSecondsUp(Duration.ofMillis(-250))).isZero();
    }
}
