package dev.signet.core.retry;

import java.time.Duration;

/** What one attempt came to, as far as the retry decision cares. */
public sealed interface AttemptOutcome {
    /** A 2xx response within the timeout. */
    record Succeeded() implements AttemptOutcome {
    }

    /** 410 Gone: the receiver asks us to stop; the endpoint is disabled. */
    record Gone() implements AttemptOutcome {
    }

    /** Any other response or a network failure; {@code retryAfter} is set only for 429/503 with the header. */
    record Failed(Duration retryAfter) implements AttemptOutcome {
    }

    /** Nothing to deliver to any more (endpoint deleted or disabled): logged, never retried. */
    record Abandoned(String reason) implements AttemptOutcome {
    }
}
