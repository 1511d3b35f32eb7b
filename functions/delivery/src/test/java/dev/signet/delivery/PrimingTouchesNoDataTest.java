package dev.signet.delivery;

import dev.signet.core.config.SignetConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapStart priming runs the real delivery handler (read, sign, guard, attempt write, settle) on canned AWS
 * clients: it makes calls (so the SDK is warm), reaches no AWS endpoint (the configured ones here do not
 * exist), and creates no random state.
 */
class PrimingTouchesNoDataTest {
    static final SignetConfig CONFIG = SignetConfig.from(Map.of(
            "SIGNET_CONFIG_TABLE", "no-such-config", "SIGNET_EVENTS_TABLE", "no-such-events",
            "SIGNET_DELIVERY_QUEUE_URL", "https://sqs.invalid/000000000000/no-such-queue",
            "SIGNET_ADMIN_KEY_SECRET_ID", "no-such-secret", "SIGNET_CREDENTIAL_KEY_SECRET_ID", "no-such-key-secret"));

    @Test
    void primingAnswersFromCannedClientsAndCreatesNoRandomState() {
        // primeChecked() fails if priming created the random source a snapshot would share
        int calls = new DeliveryPriming(CONFIG).primeChecked();
        // two deliveries (envelope, raw), each: endpoint read, secret read, the endpoint's shared pace read,
        // a slot taken and given back (a new endpoint), attempt write (abandoned: acknowledged), and the
        // invocation's endpoint statistics write
        assertThat(calls).isEqualTo(14);
    }
}
