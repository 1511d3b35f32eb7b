package dev.signet.core.aws;

import dev.signet.core.store.SecretStore;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.Optional;

/** Reads the deployment's secrets from Secrets Manager. */
public final class SecretsManagerSecretStore implements SecretStore {
    private final SecretsManagerClient secrets;

    public SecretsManagerSecretStore(SecretsManagerClient secrets) {
        this.secrets = secrets;
    }

    @Override
    public Optional<String> read(String secretId) {
        try {
            return Optional.of(secrets.getSecretValue(r -> r.secretId(secretId)).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }
}
