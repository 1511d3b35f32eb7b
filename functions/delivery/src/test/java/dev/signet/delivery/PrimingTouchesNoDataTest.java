package dev.signet.delivery;

import dev.signet.core.config.SignetConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapStart priming runs the real delivery handler (read, sign, guard, send, attempt write, settle) on canned AWS
 * clients and a receiver inside the process: it makes calls (so the SDK is warm), reaches no AWS endpoint (the
 * configured ones here do not exist), sends only to its own loopback receiver, and creates no random state.
 */
class PrimingTouchesNoDataTest {
    static final SignetConfig CONFIG = SignetConfig.from(Map.of(
            "SIGNET_CONFIG_TABLE", "no-such-config", "SIGNET_EVENTS_TABLE", "no-such-events",
            "SIGNET_DELIVERY_QUEUE_URL", "https://sqs.invalid/000000000000/no-such-queue",
            "SIGNET_ADMIN_KEY_SECRET_ID", "no-such-secret", "SIGNET_CREDENTIAL_KEY_SECRET_ID", "no-such-key-secret"));

    @Test
    void primingAnswersFromCannedClientsAndCreatesNoRandomState() {
        int batches = 3;
        DeliveryPriming priming = new DeliveryPriming(CONFIG, batches);
        // primeChecked() fails if priming created the random source a snapshot would share
        int calls = priming.primeChecked();
        // Per payload format (envelope, raw), four single deliveries to a new endpoint: the first reads the endpoint,
        // its secret and its shared pace (3), and each of the first three takes a slot and gives it back (2) while its
        // pace is unknown; the fourth, once three quick answers made it fast, shares that pace (1) and takes no slot.
        // Each writes its attempt (1) and its invocation's statistics (1); the first success also clears the
        // endpoint's failing streak (auto-disable's write, once per cache TTL).
        int singles = (3 + 2 + 2 + 1) + (2 + 2) + (2 + 2) + (1 + 2);
        // Then batches of ten, alternating between the two endpoints: ten attempt writes and one statistics write each,
        // no slot and no read (the endpoint is fast, its config and secret cached).
        assertThat(calls).isEqualTo(2 * singles + batches * (DeliveryPriming.BATCH + 1));
        // Every delivery was a request its receiver answered: the sending path ran, not a refusal before it.
        assertThat(priming.delivered()).isEqualTo(2 * DeliveryPriming.SINGLES + batches * DeliveryPriming.BATCH);
    }

    @Test
    void primingRunsThePathThousandsOfTimesByDefault() {
        // Enough for the JIT's C2 thresholds (a method is compiled with C2 after about 5,000 calls): BENCHMARKS.md, "C1 or C2".
        assertThat(new DeliveryPriming(CONFIG).runs() * DeliveryPriming.BATCH).isGreaterThanOrEqualTo(10_000);
    }
}
