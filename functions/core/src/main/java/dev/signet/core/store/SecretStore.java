package dev.signet.core.store;

import java.util.Optional;

/**
 * The deployment's secrets in Secrets Manager, read only: the admin key, the key-encryption key of
 * endpoint credentials, and the secrets of endpoints saved before their credentials moved into their
 * items (version 0.1). Nothing in the functions writes a secret.
 */
public interface SecretStore {
    /** The secret's string value, or empty if there is no such secret. */
    Optional<String> read(String secretId);
}
