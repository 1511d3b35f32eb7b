package dev.signet.it;

import com.standardwebhooks.Webhook;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receivers under examples/ verify real Signet deliveries and refuse a forged one, and README.md
 * shows them verbatim, so the code a customer copies is the code that was tested.
 */
class ReceiverExamplesVerifyRealDeliveriesTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+/signet)");

    @Test
    void theNodeReceiverVerifiesADelivery() throws Exception {
        Path dir = Node.repository().resolve("examples/node-receiver");
        Node.install(dir);
        verifiesADeliveryAndRefusesAForgery("node-example", dir, List.of("node", "receiver.mjs"));
    }

    @Test
    void theJavaReceiverVerifiesADelivery() throws Exception {
        Path dir = Node.repository().resolve("examples/java-receiver");
        // As its header says: the source launcher with the library's jar on the class path.
        String jar = Path.of(Webhook.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        verifiesADeliveryAndRefusesAForgery("java-example", dir, List.of(java, "-cp", jar, "Receiver.java"));
    }

    @Test
    void theReadmeShowsTheExampleFilesVerbatim() throws IOException {
        Path root = Node.repository();
        String readme = Files.readString(root.resolve("README.md"));
        for (String example : List.of("examples/node-receiver/receiver.mjs", "examples/java-receiver/Receiver.java")) {
            assertThat(readme).as("README.md quotes %s unchanged", example).contains(Files.readString(root.resolve(example)));
        }
    }

    private void verifiesADeliveryAndRefusesAForgery(String workspaceId, Path dir, List<String> command) throws Exception {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("WEBHOOK_SECRET", secret, "PORT", "0"));
        Process receiver = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Node.drain(receiver.getInputStream(), out);
        try {
            String output = Eventually.get(Duration.ofSeconds(60), () -> Node.text(out),
                    o -> LISTENING.matcher(o).find() || !receiver.isAlive());
            Matcher m = LISTENING.matcher(output);
            assertThat(m.find()).as("the receiver started:\n%s", output).isTrue();
            String url = m.group(1);

            Tenant tenant = signet.tenant(workspaceId, "{\"url\":\"" + url + "\",\"secret\":\"" + secret + "\"}");
            ApiClient.Reply emitted = tenant.emit(signet.api(), Tenant.SEED_EVENT);
            assertThat(emitted.status()).as(emitted.body()).isEqualTo(202);
            String eventId = emitted.text("id");

            Eventually.get(Duration.ofSeconds(30), () -> Node.text(out), o -> o.contains(eventId));
            assertThat(Node.text(out)).containsPattern(Pattern.quote(eventId) + "( order\\.completed)?: signature verified");
            List<dev.signet.core.event.Attempt> attempts = signet.awaitAttempts(workspaceId, eventId, 1);
            assertThat(attempts.get(0).responseStatus()).isEqualTo(204);

            // A request signed with another key must be refused, or the example proves nothing.
            HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("content-type", "application/json")
                    .header("webhook-id", "evt_forged")
                    .header("webhook-timestamp", Long.toString(System.currentTimeMillis() / 1000))
                    .header("webhook-signature", "v1,Zm9yZ2VkIHNpZ25hdHVyZSBvZiB0aGlydHkgdHdvIGJ5dGVzIQ==")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"evt_forged\",\"type\":\"order.completed\",\"data\":{}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(400);
            Eventually.get(Duration.ofSeconds(10), () -> Node.text(out), o -> o.contains("rejected"));
            assertThat(Node.text(out)).doesNotContain("evt_forged: signature verified").doesNotContain("evt_forged order.completed");
        } finally {
            receiver.descendants().forEach(ProcessHandle::destroyForcibly);
            receiver.destroyForcibly();
        }
    }
}
