package dev.signet.core.signing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** README, "What a delivery looks like": our signature is the Standard Webhooks one, so the published test vector must come out exactly. */
class SignerMatchesStandardWebhooksVectorTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330L;
    private static final byte[] BODY = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signatureHeaderReproducesThePublishedVector() {
        String header = Signer.signatureHeader(ID, TIMESTAMP, BODY, List.of(WebhookSecret.parse(SECRET)));

        assertThat(header).isEqualTo(EXPECTED);
    }

    @Test
    void signWithoutPrefixIsThePartAfterTheComma() {
        String signature = Signer.sign(ID, TIMESTAMP, BODY, WebhookSecret.parse(SECRET));

        assertThat("v1," + signature).isEqualTo(EXPECTED);
    }

    @Test
    void oneByteMoreInTheBodyChangesTheSignature() {
        byte[] spaced = "{\"test\":  2432232314}".getBytes(StandardCharsets.UTF_8);

        assertThat(Signer.signatureHeader(ID, TIMESTAMP, spaced, List.of(WebhookSecret.parse(SECRET))))
                .isNotEqualTo(EXPECTED);
    }

    @Test
    void duringRotationEachSecretAddsOneSpaceSeparatedEntry() {
        WebhookSecret other = WebhookSecret.generate();

        String header = Signer.signatureHeader(ID, TIMESTAMP, BODY, List.of(WebhookSecret.parse(SECRET), other));

        assertThat(header.split(" ")).hasSize(2);
        assertThat(header.split(" ")[0]).isEqualTo(EXPECTED);
        assertThat(header.split(" ")[1]).startsWith("v1,").isNotEqualTo(EXPECTED);
    }

    @Test
    void signingWithoutAnySecretIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Signer.signatureHeader(ID, TIMESTAMP, BODY, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
