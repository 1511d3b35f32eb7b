package dev.signet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.signet.it.OpsToolRedrivesTheDeadLetterQueueTest.ops;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator finds a failing endpoint ({@code attempts}), sees why, and once it is fixed replays what
 * it missed ({@code replay}, the recover route) — without touching the dead-letter queue.
 */
class OpsToolReplaysAnEndpointTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void replayQueuesTheFailedDeliveriesAgain() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(false);
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(healthy.get() ? 204 : 502))) {
            Tenant tenant = signet.tenant("ops-replay", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            signet.awaitAttempts(tenant.workspaceId(), eventId, 2);
            String[] where = {"--api", signet.stack().baseUrl().toString(), "--admin-key", signet.adminKey()};

            var attempts = ops(concat(new String[]{"attempts", "--workspace", "ops-replay", "--endpoint", tenant.endpointId(),
                    "--status", "failed"}, where));
            assertThat(attempts.exit()).as(attempts.err()).isZero();
            assertThat(attempts.out()).contains(eventId).contains("receiver answered HTTP 502");
            assertThat(attempts.out()).doesNotContain(signet.adminKey());

            healthy.set(true);
            int before = receiver.requests().size();
            var replay = ops(concat(new String[]{"replay", "--workspace", "ops-replay", "--endpoint", tenant.endpointId(),
                    "--since", "1h"}, where));
            assertThat(replay.exit()).as(replay.out() + replay.err()).isZero();
            assertThat(replay.out()).contains("replay queued 1 events");
            var got = receiver.awaitRequests(before + 1, Duration.ofSeconds(20));
            assertThat(got.getLast().header("webhook-id")).isEqualTo(eventId);

            var missing = ops(concat(new String[]{"replay", "--workspace", "ops-replay", "--endpoint", "ep_nope", "--since", "1h"}, where));
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.out()).contains("HTTP 404");
        }
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }
}
