package dev.signet.core.aws;

import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.store.SecretStore;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.util.Optional;

/** Endpoint credentials as one Secrets Manager secret each, named under the deployment's prefix. */
public final class SecretsManagerSecretStore implements SecretStore {
    private final SecretsManagerClient secrets;

    public SecretsManagerSecretStore(SecretsManagerClient secrets) {
        this.secrets = secrets;
    }

    @Override
    public void put(String secretId, EndpointCredentials credentials) {
        String value = credentials.toJson();
        try {
            secrets.createSecret(r -> r.name(secretId).secretString(value)
                    .description("Signet endpoint signing secret and auth credentials"));
        } catch (ResourceExistsException e) {
            secrets.putSecretValue(r -> r.secretId(secretId).secretString(value));
        }
    }

    @Override
    public Optional<EndpointCredentials> get(String secretId) {
        try {
            return Optional.of(EndpointCredentials.fromJson(secrets.getSecretValue(r -> r.secretId(secretId)).secretString()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public void delete(String secretId) {
        try {
            secrets.deleteSecret(r -> r.secretId(secretId).forceDeleteWithoutRecovery(true));
        } catch (ResourceNotFoundException e) {
            // already gone
        }
    }

    @Override
    public String readString(String secretId) {
        return secrets.getSecretValue(r -> r.secretId(secretId)).secretString();
    }
}
