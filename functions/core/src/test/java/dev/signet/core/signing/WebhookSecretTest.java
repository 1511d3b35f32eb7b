package dev.signet.core.signing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Base64;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** README, "Using the API": credentials; README, "What a delivery looks like": secrets have the Standard Webhooks form and never show up where they should not. */
class WebhookSecretTest {

    private static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        new Random(bytes).nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 25, 32, 48, 63, 64})
    void secretsOf24To64BytesAreAccepted(int bytes) {
        String text = secretOf(bytes);

        WebhookSecret secret = WebhookSecret.parse(text);

        assertThat(secret.reveal()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 23, 65, 128})
    void secretsOfOtherLengthsAreRejectedWithoutEchoingThem(int bytes) {
        String text = secretOf(bytes);

        assertThatThrownBy(() -> WebhookSecret.parse(text))
                .isInstanceOf(WebhookSecret.InvalidSecretException.class)
                .hasMessageContaining("24 to 64 bytes")
                .satisfies(e -> assertNoSecretIn(e.getMessage(), text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "whsec_not*base64!chars/but+long+enough+to+matter==",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=x",
            "whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La-_Sw"})
    void badBase64IsRejectedWithoutEchoingIt(String text) {
        assertThatThrownBy(() -> WebhookSecret.parse(text))
                .isInstanceOf(WebhookSecret.InvalidSecretException.class)
                .hasMessageContaining("base64")
                .satisfies(e -> assertNoSecretIn(e.getMessage(), text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec-MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ""})
    void aMissingPrefixIsRejectedWithoutEchoingIt(String text) {
        assertThatThrownBy(() -> WebhookSecret.parse(text))
                .isInstanceOf(WebhookSecret.InvalidSecretException.class)
                .hasMessageContaining("must start with \"whsec_\"")
                .satisfies(e -> assertNoSecretIn(e.getMessage(), text));
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> WebhookSecret.parse(null)).isInstanceOf(WebhookSecret.InvalidSecretException.class);
    }

    @Test
    void toStringIsRedacted() {
        WebhookSecret secret = WebhookSecret.parse(secretOf(32));
        String body = secret.reveal().substring("whsec_".length());

        assertThat(secret.toString()).doesNotContain(body).doesNotContain(body.substring(0, 8))
                .doesNotContain(body.substring(body.length() - 8)).contains("redacted");
        assertThat(String.valueOf(java.util.List.of(secret))).doesNotContain(body.substring(0, 8));
    }

    @Test
    void hintShowsOnlyThePrefixAndTheLastFourCharacters() {
        String text = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

        String hint = WebhookSecret.parse(text).hint();

        assertThat(hint).isEqualTo("whsec_\u2026LaSw");
        assertThat(hint).doesNotContain("MfKQ").doesNotContain("Io2La");
    }

    @Test
    void hintsOfGeneratedSecretsRevealNoMoreThanFourCharacters() {
        for (int i = 0; i < 50; i++) {
            WebhookSecret secret = WebhookSecret.generate();
            String body = secret.reveal().substring("whsec_".length());
            String hint = secret.hint();

            assertThat(hint).startsWith("whsec_\u2026").hasSize("whsec_".length() + 1 + 4);
            assertThat(hint).endsWith(body.substring(body.length() - 4));
        }
    }

    @Test
    void generatedSecretsAre32BytesAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            WebhookSecret secret = WebhookSecret.generate();
            byte[] key = Base64.getDecoder().decode(secret.reveal().substring("whsec_".length()));

            assertThat(key).hasSize(32);
            assertThat(seen.add(secret.reveal())).as("secret %d is new", i).isTrue();
            assertThat(WebhookSecret.parse(secret.reveal())).isEqualTo(secret);
        }
    }

    /** The message may name the prefix, but no run of the secret's own characters. */
    private static void assertNoSecretIn(String message, String text) {
        String stripped = text.strip();
        String body = stripped.length() > 6 ? stripped.substring(6) : stripped;
        if (body.length() >= 6) {
            assertThat(message).doesNotContain(body).doesNotContain(body.substring(0, 6))
                    .doesNotContain(body.substring(body.length() - 6));
        }
    }
}
