package dev.signet.testkit;

import dev.signet.core.aws.Stores;
import dev.signet.core.credentials.CredentialScope;
import dev.signet.core.credentials.CredentialVault;
import dev.signet.core.credentials.KeyEncryptionKeys;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.StoredCredentials;

import java.time.Clock;
import java.time.Duration;

/**
 * Every port of {@link Stores} in memory, for building a real handler or worker in a unit test; the
 * parts stay reachable for set-up and assertions. The delivery log reads the event store's attempts.
 * The secret store holds a generated key-encryption key set under {@link #CREDENTIAL_KEY_SECRET_ID}.
 */
public record InMemoryStores(InMemoryConfigStore config, InMemoryEventStore events, InMemoryDeliveryLog deliveryLog,
                             InMemoryIdempotencyStore idempotency, InMemoryDeliveryQueue queue, InMemorySecretStore secrets,
                             InMemoryEventTypeStore catalog, InMemoryEndpointStats stats) {

    /** Where {@link #create} keeps the key-encryption keys ({@code SIGNET_CREDENTIAL_KEY_SECRET_ID} of a handler on these stores). */
    public static final String CREDENTIAL_KEY_SECRET_ID = "credential-key";

    public static InMemoryStores create() {
        return create(Clock.systemUTC());
    }

    /** @param clock the queue's clock (SQS's visibility limit counts from a receive) */
    public static InMemoryStores create(Clock clock) {
        InMemoryEventStore events = new InMemoryEventStore();
        return new InMemoryStores(new InMemoryConfigStore(), events, new InMemoryDeliveryLog(events), new InMemoryIdempotencyStore(),
                new InMemoryDeliveryQueue(clock), new InMemorySecretStore().put(CREDENTIAL_KEY_SECRET_ID, KeyEncryptionKeys.generate().toJson()),
                new InMemoryEventTypeStore(), new InMemoryEndpointStats());
    }

    /**
     * {@code credentials} sealed for an endpoint as the management function stores them, showing the
     * current secret's hint.
     */
    public StoredCredentials seal(String workspaceId, String generation, String endpointId, EndpointCredentials credentials) {
        String sealed = vault(Clock.systemUTC()).seal(new CredentialScope(workspaceId, generation, endpointId), credentials);
        return StoredCredentials.sealed(sealed, credentials.current().hint());
    }

    /** A vault on these stores' key-encryption keys, as a handler built on them has. */
    public CredentialVault vault(Clock clock) {
        return new CredentialVault(secrets, CREDENTIAL_KEY_SECRET_ID, clock, Duration.ofMinutes(15));
    }

    public Stores stores() {
        return new Stores(config, events, deliveryLog, idempotency, queue, secrets, catalog, stats);
    }
}
