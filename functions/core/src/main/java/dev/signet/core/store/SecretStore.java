package dev.signet.core.store;

import dev.signet.core.endpoint.EndpointCredentials;

import java.util.Optional;

/** Where endpoint credentials live (Secrets Manager); nothing else ever holds them. */
public interface SecretStore {
    /** Creates or replaces the credentials stored under {@code secretId}. */
    void put(String secretId, EndpointCredentials credentials);

    Optional<EndpointCredentials> get(String secretId);

    void delete(String secretId);

    /** A plain string secret (the admin key). */
    String readString(String secretId);
}
