package dev.signet.it;

import dev.signet.local.ApiClient;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Retry-After} on 429/503 delays the next attempt, within the schedule's bounds (README, "What a delivery looks like"). */
class HonoursRetryAfterTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,4s");

    @BeforeAll
    static void start() {
        // The first retry is scheduled after 1 s; the schedule's longest delay is 4 s.
    }

    @Test
    void aRetryAfterLongerThanTheScheduledDelayIsWaitedOut() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> n == 1
                ? new TestReceiver.Reply(429, Map.of("Retry-After", "3"), "slow down")
                : TestReceiver.Reply.status(200))) {
            Tenant tenant = signet.tenant("retry-after", Tenant.endpointFor(receiver.url()));
            tenant.emit(signet.api(), Tenant.SEED_EVENT);
            receiver.awaitRequests(1, Duration.ofSeconds(20));
            long first = System.nanoTime();
            receiver.awaitRequests(2, Duration.ofSeconds(20));
            long waitedMs = (System.nanoTime() - first) / 1_000_000;
            // Without Retry-After the retry would come after 0.8–1.2 s.
            assertThat(waitedMs).isGreaterThanOrEqualTo(2_500);
        }
    }

    @Test
    void aRetryAfterBeyondTheScheduleIsCappedAtItsLongestDelay() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> n == 1
                ? new TestReceiver.Reply(503, Map.of("Retry-After", "86400"), "")
                : TestReceiver.Reply.status(200))) {
            Tenant tenant = signet.tenant("retry-after-cap", Tenant.endpointFor(receiver.url()));
            tenant.emit(signet.api(), Tenant.SEED_EVENT);
            receiver.awaitRequests(1, Duration.ofSeconds(20));
            long first = System.nanoTime();
            receiver.awaitRequests(2, Duration.ofSeconds(20));
            long waitedMs = (System.nanoTime() - first) / 1_000_000;
            assertThat(waitedMs).isBetween(3_000L, 12_000L);
        }
    }
}
