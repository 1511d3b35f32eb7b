package dev.signet.management;

import dev.signet.core.config.SignetConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapStart priming runs the management API (the endpoint list, the delivery log, the portal, a refused endpoint), many
 * times, on canned AWS clients: it makes calls (so the SDK is warm),
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
        // got another status than the one its path ends in (200, or 400 for the refused URL)
        int calls = new ManagementPriming(CONFIG, runs).primeChecked();
        // per run, each request's session and workspace reads (2), plus: the endpoint list's workspace read and
        // Query (2), the delivery log's four shard Queries (4), nothing for the portal page, nothing for the
        // refused endpoint (the URL is checked before anything is read or written)
        assertThat(calls).isEqualTo(runs * ((2 + 2) + (2 + 4) + 0 + 2));
    }

    @Test
    void primingRunsThePathThousandsOfTimesByDefault() {
        // Enough for the JIT's C2 thresholds (a method is compiled with C2 after about 5,000 calls): BENCHMARKS.md, "C1 or C2".
        assertThat(new ManagementPriming(CONFIG).runs() * 4).isGreaterThanOrEqualTo(10_000);
    }
}
