package dev.signet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * clients/typescript builds with tsc and passes its own {@code node --test} suite: the unit tests of
 * every route, and the integration tests against this running stack (emit one or a batch with an
 * Idempotency-Key, delivery log pages, event detail, retry, recover, endpoint statistics, endpoints,
 * the event type catalog, key rotation, egress addresses, workspaces, sessions and their revocation),
 * and against a second stack whose recover window takes several calls (following resume_since).
 */
class TypeScriptClientWorksAgainstLocalModeTest {
    private static final String EGRESS_IPS = "203.0.113.7,198.51.100.20";
    private static final int FAILED_EVENTS = 120;
    @RegisterExtension
    // Ingest reads the event type catalog once per cache TTL: 1 s, so a type put by a test applies at once.
    static final Signet signet = new Signet("1s,1s", Map.of("SIGNET_CACHE_TTL_SECONDS", "1", "SIGNET_EGRESS_IPS", EGRESS_IPS));

    @Test
    void theClientsNodeTestSuitePassesAgainstARunningStack() throws Exception {
        Path client = Node.repository().resolve("clients/typescript");
        Node.install(client);
        Node.Run build = Node.run(client, Map.of(), Duration.ofMinutes(2), "npm", "run", "build");
        assertThat(build.exitCode()).as("npm run build (tsc):\n%s", build.output()).isZero();

        try (LongRecoverWindow window = LongRecoverWindow.open("ts-recover-long", FAILED_EVENTS)) {
            // Only the recover test calls the second stack, so its clock may run fast for the whole suite.
            Node.Run tests = window.slowly(() -> Node.run(client, Map.of(
                            "SIGNET_API_URL", signet.stack().baseUrl().toString(),
                            "SIGNET_ADMIN_KEY", signet.adminKey(),
                            "SIGNET_EGRESS_IPS", EGRESS_IPS,
                            "SIGNET_RECOVER_API_URL", window.stack().baseUrl().toString(),
                            "SIGNET_RECOVER_ADMIN_KEY", window.stack().adminKey(),
                            "SIGNET_RECOVER_WORKSPACE", window.workspaceId(),
                            "SIGNET_RECOVER_ENDPOINT", window.endpointId(),
                            "SIGNET_RECOVER_SINCE", window.since().toString(),
                            "SIGNET_RECOVER_UNTIL", window.until().toString(),
                            "SIGNET_RECOVER_FAILED_EVENTS", Integer.toString(FAILED_EVENTS)),
                    Duration.ofMinutes(3), "node", "--test", "--test-reporter=tap", "test/"));

            assertThat(tests.exitCode()).as("node --test:\n%s", tests.output()).isZero();
            // Both integration suites must have run, not been skipped for want of the variables.
            assertThat(tests.output()).as(tests.output())
                    .containsPattern("(?m)^ok \\d+ - the TypeScript client against local mode$")
                    .containsPattern("(?m)^ok \\d+ - the TypeScript client recovering a window that takes several calls$")
                    .containsPattern("(?m)^# fail 0$");
            assertThat(window.queuedPerEvent()).as("one message per failed event").hasSize(FAILED_EVENTS)
                    .allSatisfy((evt, n) -> assertThat(n).isOne());
            assertThat(window.delivered()).isEmpty();
        }
    }
}
