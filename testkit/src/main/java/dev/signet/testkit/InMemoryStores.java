package dev.signet.testkit;

import dev.signet.core.aws.Stores;

/**
 * Every port of {@link Stores} in memory, for building a real handler or worker in a unit test; the
 * parts stay reachable for set-up and assertions.
 */
public record InMemoryStores(InMemoryConfigStore config, InMemoryEventStore events, InMemoryIdempotencyStore idempotency,
                             InMemoryDeliveryQueue queue, InMemorySecretStore secrets) {

    public static InMemoryStores create() {
        return new InMemoryStores(new InMemoryConfigStore(), new InMemoryEventStore(), new InMemoryIdempotencyStore(),
                new InMemoryDeliveryQueue(), new InMemorySecretStore());
    }

    public Stores stores() {
        return new Stores(config, events, idempotency, queue, secrets);
    }
}
