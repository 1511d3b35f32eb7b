package dev.signet.testkit;

import dev.signet.core.aws.Stores;

import java.time.Clock;

/**
 * Every port of {@link Stores} in memory, for building a real handler or worker in a unit test; the
 * parts stay reachable for set-up and assertions. The delivery log reads the event store's attempts.
 */
public record InMemoryStores(InMemoryConfigStore config, InMemoryEventStore events, InMemoryDeliveryLog deliveryLog,
                             InMemoryIdempotencyStore idempotency, InMemoryDeliveryQueue queue, InMemorySecretStore secrets,
                             InMemoryEventTypeStore catalog, InMemoryEndpointStats stats) {

    public static InMemoryStores create() {
        return create(Clock.systemUTC());
    }

    /** @param clock the queue's clock (SQS's visibility limit counts from a receive) */
    public static InMemoryStores create(Clock clock) {
        InMemoryEventStore events = new InMemoryEventStore();
        return new InMemoryStores(new InMemoryConfigStore(), events, new InMemoryDeliveryLog(events), new InMemoryIdempotencyStore(),
                new InMemoryDeliveryQueue(clock), new InMemorySecretStore(), new InMemoryEventTypeStore(), new InMemoryEndpointStats());
    }

    public Stores stores() {
        return new Stores(config, events, deliveryLog, idempotency, queue, secrets, catalog, stats);
    }
}
