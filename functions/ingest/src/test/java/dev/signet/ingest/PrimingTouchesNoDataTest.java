package dev.signet.ingest;

import dev.signet.core.config.SignetConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapStart priming runs the ingest path, many times, on canned AWS clients: it makes calls (so the SDK is warm),
 * reaches no AWS endpoint (the configured ones here do not exist), and creates no random state.
 */
class PrimingTouchesNoDataTest {
    static final SignetConfig CONFIG = SignetConfig.from(Map.of(
            "SIGNET_CONFIG_TABLE", "no-such-config", "SIGNET_EVENTS_TABLE", "no-such-events",
            "SIGNET_DELIVERY_QUEUE_URL", "https://sqs.invalid/000000000000/no-such-queue",
            "SIGNET_ADMIN_KEY_SECRET_ID", "no-such-secret"));

    @Test
    void primingAnswersFromCannedClientsAndCreatesNoRandomState() {
        int runs = 3;
        // primeChecked() fails if priming created the random source a snapshot would share, or if a primed request
        // was not accepted (202): a refused request would have run a shorter path than real ones
        int calls = new IngestPriming(CONFIG, runs).primeChecked();
        // the event type catalog once (cached), then per run: the single event (key lookup, endpoint query, PutItem,
        // SendMessageBatch) and the batch of ten (key lookup, endpoint query, BatchWriteItem, one SendMessageBatch)
        assertThat(calls).isEqualTo(1 + runs * (4 + 4));
    }

    @Test
    void primingRunsThePathThousandsOfTimesByDefault() {
        // Enough for the JIT's C2 thresholds (a method is compiled with C2 after about 5,000 calls): BENCHMARKS.md, "C1 or C2".
        assertThat(new IngestPriming(CONFIG).runs() * (1 + IngestPriming.BATCH)).isGreaterThanOrEqualTo(10_000);
    }
}
