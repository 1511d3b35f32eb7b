package dev.signet.core.credentials;

import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.store.SecretStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vault reads the key-encryption key secret once per cache TTL, and again (at most once per few
 * seconds) when a sealed value names a key it does not know: a warm instance opens credentials without
 * Secrets Manager, and a key added by a rotation is picked up at its first use.
 */
class KeyEncryptionKeysAreCachedAndRefreshedTest {
    private static final CredentialScope SCOPE = new CredentialScope("casterly", "g1", "ep_1");
    private static final EndpointCredentials CREDENTIALS = EndpointCredentials.of(
            WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), new OutboundAuth.Bearer("tok"));

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final SecretStore store = id -> {
        reads.incrementAndGet();
        return Optional.ofNullable(secrets.get(id));
    };
    private Instant now = Instant.parse("2026-12-01T12:00:00Z");
    private final Clock clock = new Clock() {
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };
    private final CredentialVault vault = new CredentialVault(store, "kek", clock, Duration.ofMinutes(15));

    @Test
    void aWarmVaultOpensWithoutReadingTheSecret() {
        secrets.put("kek", KeyEncryptionKeys.generate().toJson());
        String sealed = vault.seal(SCOPE, CREDENTIALS);
        for (int i = 0; i < 100; i++) {
            assertThat(vault.open(SCOPE, StoredCredentials.sealed(sealed, "hint"))).isEqualTo(CREDENTIALS);
        }
        assertThat(reads).hasValue(1);

        now = now.plus(Duration.ofMinutes(16));
        vault.open(SCOPE, StoredCredentials.sealed(sealed, "hint"));
        assertThat(reads).as("read again once the TTL is over").hasValue(2);
    }

    @Test
    void aKeyAddedByARotationIsReadAtItsFirstUse() {
        KeyEncryptionKeys first = KeyEncryptionKeys.generate();
        secrets.put("kek", first.toJson());
        vault.keys(); // an instance that read the set before the rotation
        KeyEncryptionKeys rotated = first.rotated(now);
        secrets.put("kek", rotated.toJson());
        String sealedUnderNewKey = new CredentialVault(store, "kek", clock, Duration.ofMinutes(15)).seal(SCOPE, CREDENTIALS);
        now = now.plusSeconds(10);
        reads.set(0);

        assertThat(vault.open(SCOPE, StoredCredentials.sealed(sealedUnderNewKey, "hint"))).isEqualTo(CREDENTIALS);
        assertThat(reads).as("one read, for the unknown key").hasValue(1);
        assertThat(vault.seal(SCOPE, CREDENTIALS)).as("and it seals under the new key from then on").startsWith("k2.");
    }

    @Test
    void madeUpKeyIdsDoNotTurnIntoAStreamOfReads() {
        secrets.put("kek", KeyEncryptionKeys.generate().toJson());
        vault.keys();
        now = now.plusSeconds(10);
        reads.set(0);
        for (int i = 0; i < 50; i++) {
            assertThatThrownBy(() -> vault.open(SCOPE, StoredCredentials.sealed("k9.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "hint")))
                    .isInstanceOf(Envelope.UnknownKeyException.class);
        }
        assertThat(reads).as("at most one read per refresh interval").hasValue(1);
    }

    @Test
    void anEndpointFromBeforeSealedCredentialsIsReadFromItsOwnSecret() {
        secrets.put("signet/old/endpoints/casterly/ep_1", CREDENTIALS.toJson());

        assertThat(vault.open(SCOPE, StoredCredentials.legacy("signet/old/endpoints/casterly/ep_1", "hint"))).isEqualTo(CREDENTIALS);
        assertThatThrownBy(() -> vault.open(SCOPE, StoredCredentials.legacy("signet/old/endpoints/casterly/gone", "hint")))
                .isInstanceOf(Envelope.UnreadableException.class);
    }

    @Test
    void aMissingSettingOrSecretSaysWhatToSet() {
        assertThatThrownBy(() -> new CredentialVault(store, null, clock, Duration.ofMinutes(1)).seal(SCOPE, CREDENTIALS))
                .hasMessageContaining("SIGNET_CREDENTIAL_KEY_SECRET_ID");
        assertThatThrownBy(() -> vault.seal(SCOPE, CREDENTIALS)).hasMessageContaining("kek does not exist");
    }
}
