package dev.signet.core.credentials;

import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.store.SecretStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Seals endpoint credentials into their item and opens them again, under the deployment's
 * key-encryption keys, which live in one Secrets Manager secret (the root of trust) and are kept by
 * each instance: read once, again after {@code keyCacheTtl}, and again when a sealed value names a
 * key the instance does not know yet (a rotation since the last read; at most once per
 * {@link #MIN_REFRESH_INTERVAL}, so values naming made-up keys cannot turn into a stream of reads).
 * A warm instance therefore opens credentials without calling Secrets Manager.
 *
 * <p>An endpoint saved by version 0.1 still has its credentials in a secret of its own
 * ({@link StoredCredentials#isLegacy()}): those are read from there until the endpoint is migrated.
 */
public final class CredentialVault {
    /** How long an instance keeps the key set by default ({@code SIGNET_CREDENTIAL_KEY_CACHE_SECONDS}). */
    public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofMinutes(15);
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(5);

    private record Loaded(KeyEncryptionKeys keys, Instant at) {
    }

    private final SecretStore secrets;
    private final String keySecretId;
    private final Clock clock;
    private final Duration keyCacheTtl;
    private volatile Loaded loaded;

    /**
     * @param keySecretId the key-encryption key secret ({@code SIGNET_CREDENTIAL_KEY_SECRET_ID}); null fails
     *                    the first seal or open (not the start: a function that never opens credentials needs none)
     */
    public CredentialVault(SecretStore secrets, String keySecretId, Clock clock, Duration keyCacheTtl) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.keySecretId = keySecretId;
        this.clock = clock;
        this.keyCacheTtl = keyCacheTtl;
    }

    /** Seals {@code credentials} for {@code scope} under the current key. */
    public String seal(CredentialScope scope, EndpointCredentials credentials) {
        return Envelope.seal(keys(), scope, credentials.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The endpoint's credentials.
     *
     * @throws Envelope.UnreadableException  the sealed value does not open (altered, copied from another
     *                                       endpoint or generation, or its key was retired): retrying cannot help
     * @throws LegacySecretUnavailableException a 0.1 endpoint whose secret cannot be read now
     */
    public EndpointCredentials open(CredentialScope scope, StoredCredentials stored) {
        if (stored.isLegacy()) {
            String json;
            try {
                json = secrets.read(stored.legacySecretId()).orElseThrow(() -> new Envelope.UnreadableException(
                        "the endpoint's 0.1 credentials secret is gone and its item holds none"));
            } catch (Envelope.UnreadableException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new LegacySecretUnavailableException(e);
            }
            return EndpointCredentials.fromJson(json);
        }
        byte[] plaintext;
        try {
            plaintext = Envelope.open(keys(), scope, stored.sealed());
        } catch (Envelope.UnknownKeyException e) {
            plaintext = Envelope.open(refreshed(), scope, stored.sealed());
        }
        return EndpointCredentials.fromJson(new String(plaintext, StandardCharsets.UTF_8));
    }

    /** The key set, read from its secret when not yet read or older than the cache TTL. */
    public KeyEncryptionKeys keys() {
        Loaded l = loaded;
        if (l != null && clock.instant().isBefore(l.at().plus(keyCacheTtl))) {
            return l.keys();
        }
        return load(l);
    }

    /** The key set read again, unless it was read within {@link #MIN_REFRESH_INTERVAL}. */
    private KeyEncryptionKeys refreshed() {
        Loaded l = loaded;
        if (l != null && clock.instant().isBefore(l.at().plus(MIN_REFRESH_INTERVAL))) {
            return l.keys();
        }
        return load(l);
    }

    /** One read for all callers that found {@code seen}: whoever comes second uses the first one's. */
    private synchronized KeyEncryptionKeys load(Loaded seen) {
        Loaded now = loaded;
        if (now != seen && now != null) {
            return now.keys();
        }
        if (keySecretId == null) {
            throw new IllegalStateException("SIGNET_CREDENTIAL_KEY_SECRET_ID is not set: it names the key-encryption key secret (template.yaml sets it)");
        }
        String json = secrets.read(keySecretId).orElseThrow(() -> new IllegalStateException(
                "the key-encryption key secret " + keySecretId + " does not exist (template.yaml creates it)"));
        KeyEncryptionKeys keys = KeyEncryptionKeys.parse(json);
        loaded = new Loaded(keys, clock.instant());
        return keys;
    }

    /** A 0.1 endpoint's own secret could not be read (not allowed, throttled, unreachable): try again later. */
    public static final class LegacySecretUnavailableException extends RuntimeException {
        LegacySecretUnavailableException(RuntimeException cause) {
            super("the endpoint's 0.1 credentials secret could not be read (" + cause.getClass().getSimpleName()
                    + "); run scripts/signet credentials migrate, or deploy with LegacyEndpointSecrets=read until then", cause);
        }
    }
}
