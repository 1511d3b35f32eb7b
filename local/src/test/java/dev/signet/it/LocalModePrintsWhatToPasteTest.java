package dev.signet.it;

import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code scripts/local --demo} prints works when pasted: one Portal line whose link opens a
 * session, export lines a shell accepts whose API URL, keys and queue URLs are the running ones, and
 * {@code scripts/local portal-link} minting a fresh link with them.
 */
class LocalModePrintsWhatToPasteTest {
    @RegisterExtension
    static final LocalModeDemo demo = new LocalModeDemo(Map.of());

    @Test
    void onePortalLineAndItsLinkOpensASessionOfTheDemoWorkspace() {
        List<String> portal = demo.lines().stream().filter(l -> l.matches("\\s*Portal\\s.*")).toList();
        assertThat(portal).as(demo.output()).hasSize(1);
        String url = portal.getFirst().trim().split("\\s+")[1];
        assertThat(url).startsWith(demo.signet().stack().baseUrl() + "/portal#token=sgn_st_").contains("&workspace=casterly&expires=");

        String token = url.replaceAll(".*#token=([^&]+)&.*", "$1");
        assertThat(demo.signet().stack().api().get("/v1/workspaces/casterly/endpoints", token).status()).isEqualTo(200);
    }

    @Test
    void theExportLinesSetTheRunningApiKeysAndQueues() {
        SignetStack stack = demo.signet().stack();
        String script = demo.exportBlock() + "\nprintf '%s\\n' \"$API\" \"$ADMIN\" \"$INGEST_KEY\" \"$RECEIVER\" "
                + "\"$SIGNET_DELIVERY_QUEUE_URL\" \"$SIGNET_DLQ_URL\"";
        Node.Run shell = Node.run(Path.of("").toAbsolutePath(), Map.of(), Duration.ofSeconds(30), "bash", "-euc", script);
        assertThat(shell.exitCode()).as(shell.output()).isZero();
        List<String> values = shell.output().lines().toList();

        assertThat(values.get(0)).isEqualTo(stack.baseUrl().toString());
        assertThat(values.get(1)).isEqualTo(stack.adminKey());
        assertThat(values.get(4)).isEqualTo(stack.resources().deliveryQueueUrl());
        assertThat(values.get(5)).isEqualTo(stack.resources().deadLetterQueueUrl());
        // The demo's ingest key sends events; the receiver URL is the demo receiver's.
        ApiClient.Reply sent = stack.api().post("/v1/events", values.get(2), "{\"event\":\"order.completed\",\"payload\":{}}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(202);
        ApiClient.Reply accepted = new ApiClient(URI.create(values.get(3))).post("/accept", null, "{}");
        assertThat(accepted.status()).isEqualTo(204);
    }

    @Test
    void portalLinkMintsAFreshLinkWithTheExportedKey() {
        Map<String, String> exports = demo.exports();
        Node.Run link = localMode(Map.of("SIGNET_API_URL", exports.get("SIGNET_API_URL"), "SIGNET_ADMIN_KEY", exports.get("SIGNET_ADMIN_KEY")),
                "portal-link", "casterly", "--ttl", "120");
        assertThat(link.exitCode()).as(link.output()).isZero();
        String url = link.output().strip();
        assertThat(url).startsWith(exports.get("SIGNET_API_URL") + "/portal#token=sgn_st_").contains("&workspace=casterly");
        assertThat(demo.output()).doesNotContain(url);
        String token = url.replaceAll(".*#token=([^&]+)&.*", "$1");
        assertThat(demo.signet().stack().api().get("/v1/workspaces/casterly", token).status()).isEqualTo(200);

        Node.Run withoutKey = localMode(Map.of("SIGNET_API_URL", exports.get("SIGNET_API_URL")), "portal-link");
        assertThat(withoutKey.exitCode()).isEqualTo(2);
        assertThat(withoutKey.output()).contains("SIGNET_ADMIN_KEY");
        Node.Run unknown = localMode(Map.of("SIGNET_API_URL", exports.get("SIGNET_API_URL"), "SIGNET_ADMIN_KEY", exports.get("SIGNET_ADMIN_KEY")),
                "portal-link", "nowhere");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.output()).contains("no workspace \"nowhere\"");
    }

    /** The local mode program as scripts/local runs it (without its build step), on this test's classpath. */
    private static Node.Run localMode(Map<String, String> env, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.signet.local.LocalSignet"));
        command.addAll(List.of(args));
        Map<String, String> clean = new java.util.HashMap<>(env);
        clean.putIfAbsent("SIGNET_ADMIN_KEY", "");
        return Node.run(Path.of("").toAbsolutePath(), clean, Duration.ofSeconds(60), command.toArray(String[]::new));
    }
}
