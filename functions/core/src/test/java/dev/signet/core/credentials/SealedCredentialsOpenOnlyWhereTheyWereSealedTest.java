package dev.signet.core.credentials;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The envelope (ARCHITECTURE.md, "Credentials"): AES-256-GCM under the current key-encryption key,
 * bound to its workspace, generation and endpoint. A sealed value copied anywhere else, or altered by
 * one bit, does not open; a value sealed under a key the set no longer holds says so.
 */
class SealedCredentialsOpenOnlyWhereTheyWereSealedTest {
    private static final byte[] PLAINTEXT = "{\"signing\":[{\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final CredentialScope SCOPE = new CredentialScope("casterly", "01KQ8ZJ2V7G4M6XTB3C5N9PD0R", "ep_1");
    private final KeyEncryptionKeys keys = KeyEncryptionKeys.generate();

    @Test
    void aValueOpensInTheScopeItWasSealedFor() {
        String sealed = Envelope.seal(keys, SCOPE, PLAINTEXT);

        assertThat(Envelope.open(keys, SCOPE, sealed)).isEqualTo(PLAINTEXT);
        assertThat(Envelope.keyId(sealed)).as("the key id is stored with the ciphertext").isEqualTo("k1");
        assertThat(sealed).doesNotContain("whsec_").doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    @Test
    void eachSealDrawsAFreshNonce() {
        assertThat(Envelope.seal(keys, SCOPE, PLAINTEXT)).isNotEqualTo(Envelope.seal(keys, SCOPE, PLAINTEXT));
    }

    @Test
    void aValueCopiedToAnotherEndpointWorkspaceOrGenerationDoesNotOpen() {
        String sealed = Envelope.seal(keys, SCOPE, PLAINTEXT);

        for (CredentialScope elsewhere : new CredentialScope[] {
                new CredentialScope("casterly", "01KQ8ZJ2V7G4M6XTB3C5N9PD0R", "ep_2"),
                new CredentialScope("riverrun", "01KQ8ZJ2V7G4M6XTB3C5N9PD0R", "ep_1"),
                new CredentialScope("casterly", "01KQ9AAAAAAAAAAAAAAAAAAAAA", "ep_1"),
                new CredentialScope("casterly", "", "ep_1")}) {
            assertThatThrownBy(() -> Envelope.open(keys, elsewhere, sealed)).as(elsewhere.toString())
                    .isInstanceOf(Envelope.UnreadableException.class).isNotInstanceOf(Envelope.UnknownKeyException.class)
                    .hasMessageContaining("sealed for another endpoint");
        }
    }

    @Test
    void anyAlteredByteIsRefused() {
        String sealed = Envelope.seal(keys, SCOPE, PLAINTEXT);
        byte[] bytes = Base64.getUrlDecoder().decode(sealed.substring(3));
        for (int i = 0; i < bytes.length; i++) {
            byte[] tampered = bytes.clone();
            tampered[i] ^= 0x01;
            String altered = "k1." + Base64.getUrlEncoder().withoutPadding().encodeToString(tampered);
            assertThatThrownBy(() -> Envelope.open(keys, SCOPE, altered)).as("byte " + i).isInstanceOf(Envelope.UnreadableException.class);
        }
        assertThatThrownBy(() -> Envelope.open(keys, SCOPE, sealed.substring(0, sealed.length() - 4)))
                .isInstanceOf(Envelope.UnreadableException.class);
        assertThatThrownBy(() -> Envelope.open(keys, SCOPE, "k1.not base64!")).isInstanceOf(Envelope.UnreadableException.class);
        assertThatThrownBy(() -> Envelope.open(keys, SCOPE, "no-key-id")).isInstanceOf(Envelope.UnreadableException.class);
    }

    @Test
    void anotherDeploymentsKeyDoesNotOpenIt() {
        String sealed = Envelope.seal(keys, SCOPE, PLAINTEXT);

        assertThatThrownBy(() -> Envelope.open(KeyEncryptionKeys.generate(), SCOPE, sealed)).isInstanceOf(Envelope.UnreadableException.class);
    }

    @Test
    void aRotatedSetSealsUnderTheNewKeyAndStillOpensTheOld() {
        String old = Envelope.seal(keys, SCOPE, PLAINTEXT);
        KeyEncryptionKeys rotated = keys.rotated(Instant.parse("2026-12-01T12:00:00Z"));

        String fresh = Envelope.seal(rotated, SCOPE, PLAINTEXT);
        assertThat(Envelope.keyId(fresh)).isEqualTo("k2");
        assertThat(Envelope.open(rotated, SCOPE, old)).isEqualTo(PLAINTEXT);
        assertThat(Envelope.open(rotated, SCOPE, fresh)).isEqualTo(PLAINTEXT);
    }

    @Test
    void aValueUnderARetiredKeyNamesTheKey() {
        String old = Envelope.seal(keys, SCOPE, PLAINTEXT);
        KeyEncryptionKeys retired = keys.rotated(Instant.parse("2026-12-01T12:00:00Z")).withoutOldKeys();

        assertThat(retired.ids()).containsExactly("k2");
        assertThatThrownBy(() -> Envelope.open(retired, SCOPE, old))
                .isInstanceOfSatisfying(Envelope.UnknownKeyException.class, e -> assertThat(e.keyId()).isEqualTo("k1"));
    }

    @Test
    void theTemplatesGeneratedSecretIsAKeySetAndBadOnesSayWhatIsWrong() {
        // What CloudFormation's GenerateSecretString makes of template.yaml's CredentialKeySecret.
        KeyEncryptionKeys generated = KeyEncryptionKeys.parse("{\"current\":\"k1\",\"k1\":\"" + "aB3".repeat(21) + "c\"}");
        assertThat(generated.currentId()).isEqualTo("k1");
        assertThat(Envelope.open(generated, SCOPE, Envelope.seal(generated, SCOPE, PLAINTEXT))).isEqualTo(PLAINTEXT);
        assertThat(KeyEncryptionKeys.parse(keys.rotated(Instant.EPOCH).toJson()).ids()).containsExactly("k1", "k2");
        assertThat(generated.toString()).doesNotContain("aB3");

        assertThatThrownBy(() -> KeyEncryptionKeys.parse("{\"k1\":\"" + "x".repeat(40) + "\"}")).hasMessageContaining("\"current\"");
        assertThatThrownBy(() -> KeyEncryptionKeys.parse("{\"current\":\"k2\",\"k1\":\"" + "x".repeat(40) + "\"}"))
                .hasMessageContaining("\"k2\" is not in the secret");
        assertThatThrownBy(() -> KeyEncryptionKeys.parse("{\"current\":\"k1\",\"k1\":\"short-and-guessable\"}"))
                .hasMessageContaining("at least 32").hasMessageNotContaining("short-and-guessable");
        assertThatThrownBy(() -> KeyEncryptionKeys.parse("not json")).hasMessageContaining("not JSON");
    }
}
