package dev.signet.it;

import dev.signet.local.SignetStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scripts/smoke <ApiUrl> --receiver <URL>} against local mode, as an operator runs it against a
 * deployment: it passes when the event reaches a receiver that answers 2xx, fails naming the receiver's
 * answer otherwise, refuses to start without the admin key or a receiver, and leaves no workspace
 * behind either way. All traffic stays on 127.0.0.1 (the demo receiver).
 */
class SmokeScriptChecksADeploymentTest {
    private static final Pattern WORKSPACE = Pattern.compile("created workspace (smoke-[0-9]+-[0-9]+)");
    @RegisterExtension
    static final LocalModeDemo demo = new LocalModeDemo(Map.of());

    private static Node.Run smoke(Map<String, String> env, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = Node.repository().resolve("scripts/smoke").toString();
        System.arraycopy(args, 0, command, 2, args.length);
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("SIGNET_ADMIN_KEY", "");
        all.putIfAbsent("SIGNET_SMOKE_RECEIVER_URL", "");
        return Node.run(Node.repository(), all, Duration.ofMinutes(2), command);
    }

    private static String api() {
        return demo.exports().get("SIGNET_API_URL");
    }

    private static String receiver(String path) {
        return demo.exports().get("SIGNET_RECEIVER_URL") + path;
    }

    private static Map<String, String> admin() {
        return Map.of("SIGNET_ADMIN_KEY", demo.exports().get("SIGNET_ADMIN_KEY"));
    }

    private static void assertWorkspaceDeleted(String output) {
        Matcher m = WORKSPACE.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        SignetStack stack = demo.signet().stack();
        assertThat(stack.api().get("/v1/workspaces/" + m.group(1), stack.adminKey()).status()).as("cleaned up").isEqualTo(404);
    }

    @Test
    void aDeliveryToAReceiverThatAnswers2xxPasses() {
        Node.Run run = smoke(admin(), api() + "/", "--receiver", receiver("/accept"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("ok   delivered: the receiver answered HTTP 204", "smoke: PASSED",
                "deleted workspace").doesNotContain(admin().get("SIGNET_ADMIN_KEY"));
        assertWorkspaceDeleted(run.output());
    }

    @Test
    void aReceiverThatFailsIsReportedAndStillCleanedUp() {
        Node.Run run = smoke(Map.of("SIGNET_ADMIN_KEY", demo.exports().get("SIGNET_ADMIN_KEY"),
                "SIGNET_SMOKE_RECEIVER_URL", receiver("/status/503")), api());

        assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("smoke: FAILED: the attempt failed", "HTTP 503");
        assertWorkspaceDeleted(run.output());
    }

    @Test
    void itRefusesToRunWithoutTheAdminKeyOrAReceiver() {
        Node.Run noKey = smoke(Map.of(), api(), "--receiver", receiver("/accept"));
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.output()).contains("set SIGNET_ADMIN_KEY");

        Node.Run noReceiver = smoke(admin(), api());
        assertThat(noReceiver.exitCode()).isEqualTo(2);
        assertThat(noReceiver.output()).contains("give a receiver URL");

        Node.Run wrongKey = smoke(Map.of("SIGNET_ADMIN_KEY", "sgn_ak_not-this-one"), api(), "--receiver", receiver("/accept"));
        assertThat(wrongKey.exitCode()).isEqualTo(1);
        assertThat(wrongKey.output()).contains("the admin key was refused");
        assertThat(noKey.output() + noReceiver.output()).doesNotContain("created workspace");
    }
}
