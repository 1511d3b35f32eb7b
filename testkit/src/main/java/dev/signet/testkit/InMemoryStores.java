package dev.signet.testkit;

import dev.signet.core.aws.Stores;

import java.time.Clock;

/**
 * Every port of {@link Stores} in memory, for building a real handler or worker in a unit test; the
 * parts stay reachable for set-up and assertions.
 */
public record InMemoryStores(InMemoryConfigStore config, InMemoryEventStore events, InMemoryIdempotencyStore idempotency,
                             InMemoryDeliveryQueue queue, InMemorySecretStore secrets) {

    public static InMemoryStores create() {
        return create(Clock.systemUTC());
    }

    /** @param clock the queue's clock (SQS's visibility limit counts from a receive) */
    public static InMemoryStores create(Clock clock) {
        return new InMemoryStores(new InMemoryConfigStore(), new InMemoryEventStore(), new InMemoryIdempotencyStore(),
                new InMemoryDeliveryQueue(clock), new InMemorySecretStore());
    }

    public Stores stores() {
        return new Stores(config, events, idempotency, queue, secrets);
    }
}
