package dev.signet.core.signing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * README, "What a delivery looks like": {@code signature_scheme: "v1a"}. Signet generates an ed25519
 * key pair per endpoint, shows {@code whpk_<base64 of the raw 32-byte public key>}, stores the pair as
 * {@code whsk_…} and signs {@code "{id}.{timestamp}.{body}"} as {@code v1a,<base64 signature>}, one
 * entry per key pair during a rotation.
 */
class V1aKeyPairsSignAndVerifyTest {
    private static final long NOW = 1_776_450_120L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final byte[] BODY = "{\"type\":\"order.completed\",\"data\":{\"total_cents\":12900}}".getBytes(StandardCharsets.UTF_8);

    // RFC 8032, section 7.1, TEST 1 (the empty message).
    private static final byte[] RFC_SEED = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    private static final byte[] RFC_PUBLIC = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final String RFC_SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
            + "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    private static String whsk(byte[] seed, byte[] publicKey) {
        return "whsk_" + Base64.getEncoder().encodeToString(WebhookPublicKey.concat(seed, publicKey));
    }

    private static Verifier verifier(SigningKeyPair pair) {
        return new Verifier(WebhookPublicKey.parse(pair.publicKey().text()), CLOCK, Verifier.DEFAULT_TOLERANCE);
    }

    @Test
    void theStoredFormIsTheRfc8032KeyAndSignsItsTestVector() {
        SigningKeyPair pair = SigningKeyPair.parse(whsk(RFC_SEED, RFC_PUBLIC));

        assertThat(HexFormat.of().formatHex(pair.sign(new byte[0]))).isEqualTo(RFC_SIGNATURE);
        assertThat(pair.publicKey().text()).isEqualTo("whpk_" + Base64.getEncoder().encodeToString(RFC_PUBLIC));
        assertThat(pair.reveal()).isEqualTo(whsk(RFC_SEED, RFC_PUBLIC));
    }

    @Test
    void generatedPairsAreDistinctAndTheirPublicKeyIsWhpkOf32Bytes() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            SigningKeyPair pair = SigningKeyPair.generate();
            String text = pair.publicKey().text();
            assertThat(text).startsWith("whpk_");
            assertThat(Base64.getDecoder().decode(text.substring(5))).hasSize(32);
            assertThat(pair.reveal()).startsWith("whsk_");
            assertThat(Base64.getDecoder().decode(pair.reveal().substring(5))).hasSize(64);
            assertThat(seen.add(text)).as("a fresh key each time").isTrue();
        }
    }

    @Test
    void theStoredFormReadsBackAsTheSamePair() {
        SigningKeyPair pair = SigningKeyPair.generate();

        SigningKeyPair read = SigningKeyPair.parse(pair.reveal());

        assertThat(read).isEqualTo(pair);
        assertThat(read.publicKey()).isEqualTo(pair.publicKey());
        String header = Signer.asymmetricSignatureHeader("evt_1", NOW, BODY, List.of(read));
        assertThatCode(() -> verifier(pair).verify("evt_1", Long.toString(NOW), header, BODY)).doesNotThrowAnyException();
    }

    @Test
    void aHeaderHasOneV1aEntryPerKeyAndEitherPublicKeyVerifiesItDuringARotation() throws Exception {
        SigningKeyPair current = SigningKeyPair.generate();
        SigningKeyPair previous = SigningKeyPair.generate();

        String header = Signer.asymmetricSignatureHeader("evt_1", NOW, BODY, List.of(current, previous));

        String[] entries = header.split(" ");
        assertThat(entries).hasSize(2).allSatisfy(e -> {
            assertThat(e).startsWith("v1a,");
            assertThat(Base64.getDecoder().decode(e.substring(4))).hasSize(64);
        });
        verifier(current).verify("evt_1", Long.toString(NOW), header, BODY);
        verifier(previous).verify("evt_1", Long.toString(NOW), header, BODY);
        assertThatThrownBy(() -> verifier(SigningKeyPair.generate()).verify("evt_1", Long.toString(NOW), header, BODY))
                .isInstanceOf(Verifier.VerificationException.class).hasMessage("no v1a signature matches this public key");
    }

    @Test
    void theVerifierRefusesATamperedBodyIdOrTimestampAndOldRequests() {
        SigningKeyPair pair = SigningKeyPair.generate();
        String header = Signer.asymmetricSignatureHeader("evt_1", NOW, BODY, List.of(pair));
        byte[] tampered = BODY.clone();
        tampered[10] ^= 1;

        assertThatThrownBy(() -> verifier(pair).verify("evt_1", Long.toString(NOW), header, tampered))
                .isInstanceOf(Verifier.VerificationException.class);
        assertThatThrownBy(() -> verifier(pair).verify("evt_2", Long.toString(NOW), header, BODY))
                .isInstanceOf(Verifier.VerificationException.class);
        String later = Signer.asymmetricSignatureHeader("evt_1", NOW - 1, BODY, List.of(pair));
        assertThatThrownBy(() -> verifier(pair).verify("evt_1", Long.toString(NOW), later, BODY))
                .isInstanceOf(Verifier.VerificationException.class);
        String stale = Signer.asymmetricSignatureHeader("evt_1", NOW - 301, BODY, List.of(pair));
        assertThatThrownBy(() -> verifier(pair).verify("evt_1", Long.toString(NOW - 301), stale, BODY))
                .isInstanceOf(Verifier.VerificationException.class).hasMessageContaining("tolerance");
    }

    @Test
    void v1EntriesAndGarbageAreNotV1aSignatures() {
        SigningKeyPair pair = SigningKeyPair.generate();
        String v1a = Signer.asymmetricSignatureHeader("evt_1", NOW, BODY, List.of(pair)).substring(4);

        for (String header : List.of("v1," + v1a, "v1a,not*base64", "v1a,", "v1a," + Base64.getEncoder().encodeToString(new byte[64]),
                "v1a" + v1a, "v2a," + v1a)) {
            assertThatThrownBy(() -> verifier(pair).verify("evt_1", Long.toString(NOW), header, BODY)).as(header)
                    .isInstanceOf(Verifier.VerificationException.class);
        }
        assertThatCode(() -> verifier(pair).verify("evt_1", Long.toString(NOW), "v1,abc v1a," + v1a, BODY)).doesNotThrowAnyException();
    }

    @Test
    void aPairWhoseHalvesDoNotBelongTogetherIsRefused() {
        SigningKeyPair a = SigningKeyPair.generate();
        SigningKeyPair b = SigningKeyPair.generate();
        byte[] aBytes = Base64.getDecoder().decode(a.reveal().substring(5));
        byte[] bBytes = Base64.getDecoder().decode(b.reveal().substring(5));
        byte[] mixed = java.util.Arrays.copyOf(aBytes, 64);
        System.arraycopy(bBytes, 32, mixed, 32, 32);
        String text = "whsk_" + Base64.getEncoder().encodeToString(mixed);

        assertThatThrownBy(() -> SigningKeyPair.parse(text)).isInstanceOf(SigningKeyPair.InvalidKeyException.class)
                .hasMessageContaining("does not belong").satisfies(e -> assertNoKeyIn(e.getMessage(), text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "whsec_AAAA", "whsk_", "whsk_***", "whsk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="})
    void malformedStoredKeysAreRefusedWithoutEchoingThem(String text) {
        assertThatThrownBy(() -> SigningKeyPair.parse(text)).isInstanceOf(SigningKeyPair.InvalidKeyException.class)
                .hasMessageContaining("signing key").satisfies(e -> assertNoKeyIn(e.getMessage(), text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "whsk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "whpk_", "whpk_###",
            "whpk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="})
    void malformedPublicKeysAreRefused(String text) {
        assertThatThrownBy(() -> WebhookPublicKey.parse(text)).isInstanceOf(SigningKeyPair.InvalidKeyException.class)
                .hasMessageContaining("public key");
    }

    @Test
    void thePrivateKeyNeverShowsInToString() {
        SigningKeyPair pair = SigningKeyPair.generate();

        assertThat(pair.toString()).contains(pair.publicKey().text()).contains("redacted");
        assertNoKeyIn(pair.toString(), pair.reveal());
    }

    /** Neither the stored text nor any 12-character piece of its key part appears in {@code message}. */
    private static void assertNoKeyIn(String message, String stored) {
        String secretPart = stored.startsWith("whsk_") ? stored.substring(5, Math.min(stored.length(), 5 + 43)) : stored;
        if (secretPart.length() < 12) {
            return;
        }
        for (int i = 0; i + 12 <= secretPart.length(); i++) {
            assertThat(message).doesNotContain(secretPart.substring(i, i + 12));
        }
    }
}
