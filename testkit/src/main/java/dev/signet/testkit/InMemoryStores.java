package dev.signet.testkit;

import dev.signet.core.aws.Stores;

/**
 * Every port of {@link Stores} in memory, for building a real handler or worker in a unit test; the
 * parts stay reachable for set-up and assertions. The delivery log reads the event store's attempts.
 */
public record InMemoryStores(InMemoryConfigStore config, InMemoryEventStore events, InMemoryDeliveryLog deliveryLog,
                             InMemoryIdempotencyStore idempotency, InMemoryDeliveryQueue queue, InMemorySecretStore secrets) {

    public static InMemoryStores create() {
        InMemoryEventStore events = new InMemoryEventStore();
        return new InMemoryStores(new InMemoryConfigStore(), events, new InMemoryDeliveryLog(events), new InMemoryIdempotencyStore(),
                new InMemoryDeliveryQueue(), new InMemorySecretStore());
    }

    public Stores stores() {
        return new Stores(config, events, deliveryLog, idempotency, queue, secrets);
    }
}
