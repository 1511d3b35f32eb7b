package dev.signet.core.aws;

import dev.signet.core.config.SignetConfig;
import dev.signet.core.store.ConfigStore;
import dev.signet.core.store.DeliveryLog;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EndpointStatsStore;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.EventTypeStore;
import dev.signet.core.store.IdempotencyStore;
import dev.signet.core.store.SecretStore;

import java.time.Clock;

/**
 * The adapters every function is built from, wired in this one place for the Lambda handlers, their
 * SnapStart priming and local mode alike. Components are ports, so tests can hand a handler in-process
 * ones instead.
 */
public record Stores(ConfigStore config, EventStore events, DeliveryLog deliveryLog, IdempotencyStore idempotency,
                     DeliveryQueue queue, SecretStore secrets, EventTypeStore catalog, EndpointStatsStore stats) {

    /** The AWS adapters on {@code aws}, named by {@code config}. */
    public static Stores from(SignetConfig config, AwsClients aws, Clock clock) {
        return new Stores(new DynamoConfigStore(aws.dynamo(), config.configTable()),
                new DynamoEventStore(aws.dynamo(), config.eventsTable(), config.retention()),
                new DynamoDeliveryLog(aws.dynamo(), config.eventsTable()),
                new DynamoIdempotencyStore(aws.dynamo(), config.eventsTable(), clock),
                new SqsDeliveryQueue(aws.sqs(), config.deliveryQueueUrl(), config.deadLetterQueueUrl()), new SecretsManagerSecretStore(aws.secrets()),
                new DynamoEventTypeStore(aws.dynamo(), config.configTable()), new DynamoEndpointStats(aws.dynamo(), config.eventsTable()));
    }
}
