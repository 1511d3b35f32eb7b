package dev.signet.core.retry;

import java.time.Duration;

/** What the delivery function does with the message after an attempt. */
public sealed interface RetryDecision {
    /** Delivered: acknowledge the message. */
    record Done() implements RetryDecision {
    }

    /** Hide the message for {@code delay}, then attempt again. */
    record RetryAfter(Duration delay) implements RetryDecision {
    }

    /** The last attempt failed: let SQS move the message to the dead-letter queue. */
    record DeadLetter() implements RetryDecision {
    }

    /** 410 Gone: disable the endpoint, acknowledge the message. */
    record DisableEndpoint() implements RetryDecision {
    }

    /** Nothing to deliver to: acknowledge the message, the attempt log says why. */
    record Abandon(String reason) implements RetryDecision {
    }
}
