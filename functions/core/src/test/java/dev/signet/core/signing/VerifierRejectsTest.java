package dev.signet.core.signing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A receiver using our {@link Verifier} turns away anything it cannot trust, and says why. */
class VerifierRejectsTest {
    private static final long NOW = 1_750_000_000L;
    private static final String ID = "evt_verifier";
    private static final byte[] BODY = "{\"order_id\":\"ord_1\"}".getBytes(StandardCharsets.UTF_8);

    private final WebhookSecret secret = WebhookSecret.generate();
    private final Verifier verifier = new Verifier(secret, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC),
            Duration.ofMinutes(5));

    private String signedAt(long timestamp) {
        return Signer.signatureHeader(ID, timestamp, BODY, List.of(secret));
    }

    @Test
    void aCorrectRequestIsAccepted() {
        assertThatCode(() -> verifier.verify(ID, Long.toString(NOW), signedAt(NOW), BODY)).doesNotThrowAnyException();
    }

    @Test
    void missingIdIsRejected() {
        assertThatThrownBy(() -> verifier.verify(null, Long.toString(NOW), signedAt(NOW), BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessage("missing webhook-id, webhook-timestamp or webhook-signature header");
    }

    @Test
    void missingTimestampIsRejected() {
        assertThatThrownBy(() -> verifier.verify(ID, null, signedAt(NOW), BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void missingSignatureIsRejected() {
        assertThatThrownBy(() -> verifier.verify(ID, Long.toString(NOW), null, BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void aTimestampThatIsNotANumberIsRejected() {
        assertThatThrownBy(() -> verifier.verify(ID, "2025-06-15T00:00:00Z", signedAt(NOW), BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessage("webhook-timestamp is not a number of seconds");
    }

    @Test
    void aStaleTimestampBeyondToleranceIsRejectedEvenWithAValidSignature() {
        long stale = NOW - 301;
        assertThatThrownBy(() -> verifier.verify(ID, Long.toString(stale), signedAt(stale), BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessage("webhook-timestamp is outside the tolerance of 300 s");
    }

    @Test
    void aFutureTimestampBeyondToleranceIsRejectedEvenWithAValidSignature() {
        long future = NOW + 301;
        assertThatThrownBy(() -> verifier.verify(ID, Long.toString(future), signedAt(future), BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessageContaining("outside the tolerance");
    }

    @Test
    void timestampsAtTheEdgeOfToleranceAreAccepted() {
        long oldest = NOW - 300;
        long newest = NOW + 300;
        assertThatCode(() -> verifier.verify(ID, Long.toString(oldest), signedAt(oldest), BODY)).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(ID, Long.toString(newest), signedAt(newest), BODY)).doesNotThrowAnyException();
    }

    @Test
    void aSignatureMadeWithAnotherSecretIsRejected() {
        String wrong = Signer.signatureHeader(ID, NOW, BODY, List.of(WebhookSecret.generate()));
        assertThatThrownBy(() -> verifier.verify(ID, Long.toString(NOW), wrong, BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessage("no v1 signature matches this secret");
    }

    @Test
    void theRightSignatureUnderAnotherSchemeIsRejected() {
        String base64 = Signer.sign(ID, NOW, BODY, secret);
        for (String header : List.of("v2," + base64, "v1a," + base64, "V1," + base64, base64, "v1a:" + base64)) {
            assertThatThrownBy(() -> verifier.verify(ID, Long.toString(NOW), header, BODY))
                    .as(header)
                    .isInstanceOf(Verifier.VerificationException.class)
                    .hasMessage("no v1 signature matches this secret");
        }
    }

    @Test
    void anyMatchingV1EntryAmongSeveralIsEnough() {
        String base64 = Signer.sign(ID, NOW, BODY, secret);
        String header = "v2,abc v1," + Signer.sign(ID, NOW, BODY, WebhookSecret.generate()) + " v1," + base64;
        assertThatCode(() -> verifier.verify(ID, Long.toString(NOW), header, BODY)).doesNotThrowAnyException();
    }

    @Test
    void anEmptySignatureHeaderIsRejected() {
        assertThatThrownBy(() -> verifier.verify(ID, Long.toString(NOW), "", BODY))
                .isInstanceOf(Verifier.VerificationException.class)
                .hasMessage("no v1 signature matches this secret");
    }
}
