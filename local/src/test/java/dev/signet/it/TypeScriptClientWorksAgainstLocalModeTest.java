package dev.signet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * clients/typescript builds with tsc and passes its own {@code node --test} suite: the unit tests of
 * every route, and the integration tests against this running stack (emit, batch, Idempotency-Key,
 * delivery log pages, event detail, retry, recover, endpoints, key rotation, egress addresses, workspaces).
 */
class TypeScriptClientWorksAgainstLocalModeTest {
    private static final String EGRESS_IPS = "203.0.113.7,198.51.100.20";
    @RegisterExtension
    // Ingest reads the event type catalog once per cache TTL: 1 s, so a type put by a test applies at once.
    static final Signet signet = new Signet("1s,1s", Map.of("SIGNET_CACHE_TTL_SECONDS", "1", "SIGNET_EGRESS_IPS", EGRESS_IPS));

    @Test
    void theClientsNodeTestSuitePassesAgainstARunningStack() {
        Path client = Node.repository().resolve("clients/typescript");
        Node.install(client);
        Node.Run build = Node.run(client, Map.of(), Duration.ofMinutes(2), "npm", "run", "build");
        assertThat(build.exitCode()).as("npm run build (tsc):\n%s", build.output()).isZero();

        Node.Run tests = Node.run(client, Map.of(
                        "SIGNET_API_URL", signet.stack().baseUrl().toString(),
                        "SIGNET_ADMIN_KEY", signet.adminKey(),
                        "SIGNET_EGRESS_IPS", EGRESS_IPS),
                Duration.ofMinutes(3), "node", "--test", "--test-reporter=tap", "test/");

        assertThat(tests.exitCode()).as("node --test:\n%s", tests.output()).isZero();
        // The integration suite must have run, not been skipped for want of the variables.
        assertThat(tests.output()).as(tests.output())
                .containsPattern("(?m)^ok \\d+ - the TypeScript client against local mode$")
                .containsPattern("(?m)^# fail 0$");
    }
}
