package dev.signet.core.signing;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * README, "What a delivery looks like": any official Standard Webhooks library verifies what Signet sends, including during a
 * secret rotation; a tampered request fails both there and in our own {@link Verifier}.
 */
class SignaturesVerifyWithOfficialLibraryTest {
    private static final String[] SAMPLES = {
            "{\"order_id\":\"ord_1\",\"total_cents\":12900}",
            "{\"name\":\"Zoë Ångström\",\"city\":\"Kraków\",\"note\":\"日本語のテキスト\",\"emoji\":\"😀🎉\"}",
            "{\"esc\":\"\\\"q\\\" \\\\ \\u00e9 \\ud83d\\ude00\"}",
            "{ \"spaced\" :\n  [1, 2.50, -0.0, 1e400] }",
            "{}",
    };

    private final Random random = new Random();

    private String randomBody() {
        StringBuilder s = new StringBuilder("{\"data\":\"");
        int n = random.nextInt(200);
        for (int i = 0; i < n; i++) {
            int cp = switch (random.nextInt(4)) {
                case 0 -> 'a' + random.nextInt(26);
                case 1 -> 0x00C0 + random.nextInt(0x100);      // Latin-1 supplement and beyond
                case 2 -> 0x3040 + random.nextInt(0x60);       // Hiragana
                default -> 0x1F600 + random.nextInt(0x40);     // emoji, outside the BMP
            };
            s.appendCodePoint(cp);
        }
        return s.append("\"}").toString();
    }

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }

    @RepeatedTest(20)
    void randomSecretsAndBodiesVerifyWithTheOfficialLibrary() {
        WebhookSecret secret = WebhookSecret.generate();
        String body = randomBody();
        long now = Instant.now().getEpochSecond();
        String signature = Signer.signatureHeader("evt_random", now, body.getBytes(StandardCharsets.UTF_8), List.of(secret));

        assertThatCode(() -> new Webhook(secret.reveal()).verify(body, headers("evt_random", now, signature)))
                .doesNotThrowAnyException();
        assertThatCode(() -> new Verifier(secret).verify("evt_random", Long.toString(now), signature,
                body.getBytes(StandardCharsets.UTF_8))).doesNotThrowAnyException();
    }

    @Test
    void fixedNonAsciiAndEscapedBodiesVerifyWithTheOfficialLibrary() throws Exception {
        WebhookSecret secret = WebhookSecret.generate();
        long now = Instant.now().getEpochSecond();
        for (String body : SAMPLES) {
            String signature = Signer.signatureHeader("evt_1", now, body.getBytes(StandardCharsets.UTF_8), List.of(secret));
            new Webhook(secret.reveal()).verify(body, headers("evt_1", now, signature));
        }
    }

    @Test
    void duringRotationAVerifierHoldingEitherSecretAccepts() throws Exception {
        WebhookSecret previous = WebhookSecret.generate();
        WebhookSecret next = WebhookSecret.generate();
        WebhookSecret unrelated = WebhookSecret.generate();
        String body = SAMPLES[1];
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        String signature = Signer.signatureHeader("evt_rot", now, bytes, List.of(previous, next));

        assertThat(signature.split(" ")).hasSize(2).allMatch(e -> e.startsWith("v1,"));
        new Webhook(previous.reveal()).verify(body, headers("evt_rot", now, signature));
        new Webhook(next.reveal()).verify(body, headers("evt_rot", now, signature));
        new Verifier(previous).verify("evt_rot", Long.toString(now), signature, bytes);
        new Verifier(next).verify("evt_rot", Long.toString(now), signature, bytes);
        assertThatThrownBy(() -> new Webhook(unrelated.reveal()).verify(body, headers("evt_rot", now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Verifier(unrelated).verify("evt_rot", Long.toString(now), signature, bytes))
                .isInstanceOf(Verifier.VerificationException.class);
    }

    @Test
    void aTamperedBodyIsRejectedByBoth() {
        WebhookSecret secret = WebhookSecret.generate();
        String body = SAMPLES[1];
        String tampered = body.replace("Kraków", "Krakow");
        long now = Instant.now().getEpochSecond();
        String signature = Signer.signatureHeader("evt_t", now, body.getBytes(StandardCharsets.UTF_8), List.of(secret));

        assertThatThrownBy(() -> new Webhook(secret.reveal()).verify(tampered, headers("evt_t", now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Verifier(secret).verify("evt_t", Long.toString(now), signature,
                tampered.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessageContaining("no v1 signature");
    }

    @Test
    void aTamperedTimestampIsRejectedByBoth() {
        WebhookSecret secret = WebhookSecret.generate();
        String body = SAMPLES[0];
        long now = Instant.now().getEpochSecond();
        String signature = Signer.signatureHeader("evt_ts", now, body.getBytes(StandardCharsets.UTF_8), List.of(secret));
        long replayed = now - 1; // still inside the tolerance: only the signature can catch it

        assertThatThrownBy(() -> new Webhook(secret.reveal()).verify(body, headers("evt_ts", replayed, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Verifier(secret).verify("evt_ts", Long.toString(replayed), signature,
                body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessageContaining("no v1 signature");
    }

    @Test
    void aTamperedIdIsRejectedByBoth() {
        WebhookSecret secret = WebhookSecret.generate();
        String body = SAMPLES[0];
        long now = Instant.now().getEpochSecond();
        String signature = Signer.signatureHeader("evt_a", now, body.getBytes(StandardCharsets.UTF_8), List.of(secret));

        assertThatThrownBy(() -> new Webhook(secret.reveal()).verify(body, headers("evt_b", now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Verifier(secret).verify("evt_b", Long.toString(now), signature,
                body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(Verifier.VerificationException.class);
    }
}
