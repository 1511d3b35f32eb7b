package dev.signet.local;

import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.EventsTable;
import dev.signet.core.credentials.KeyEncryptionKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables, queues and key of one Signet deployment, created in the emulators the way template.yaml
 * creates them in AWS: a config table and an events table (pk/sk, TTL on {@code ttl}, the events table
 * with the {@code by_workspace} and {@code by_endpoint} indexes projecting the log's attributes), a deliveries queue whose
 * RedrivePolicy sends a message to the dead-letter queue after {@code maxReceiveCount} receives, and
 * the key-encryption key secret of endpoint credentials ({@code <prefix>/credential-key}, generated).
 */
public record LocalResources(
        String prefix,
        String configTable,
        String eventsTable,
        String credentialKeySecretId,
        String deliveryQueueUrl,
        String deliveryQueueArn,
        String deadLetterQueueUrl,
        String deadLetterQueueArn,
        int maxReceiveCount,
        Duration visibilityTimeout) {

    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * SQS's largest message (1 MiB). Set on the queues as template.yaml does; ElasticMQ accepts the
     * attribute but enforces its own fixed limit, which is the same 1 MiB.
     */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;
    private static final String TTL_ATTRIBUTE = "ttl";
    private static final String FOURTEEN_DAYS = Long.toString(Duration.ofDays(14).toSeconds());

    /** Creates everything with the local default visibility timeout (60 s). */
    public static LocalResources create(AwsClients aws, String prefix, int maxReceives) {
        return create(aws, prefix, maxReceives, DEFAULT_VISIBILITY_TIMEOUT);
    }

    /**
     * @param prefix names every table and queue ({@code <prefix>-config}, {@code <prefix>-deliveries}, ...)
     * @param maxReceives receives before SQS moves a message to the dead-letter queue (a safety net: the
     *                    delivery function moves exhausted deliveries there itself)
     * @param visibilityTimeout how long a received message stays invisible (whole seconds, 0 to 12 h)
     */
    public static LocalResources create(AwsClients aws, String prefix, int maxReceives, Duration visibilityTimeout) {
        if (maxReceives < 1 || maxReceives > 1000) {
            throw new IllegalArgumentException("maxReceives must be 1 to 1000 (SQS maxReceiveCount), not " + maxReceives);
        }
        String configTable = prefix + "-config";
        String eventsTable = prefix + "-events";
        createTable(aws.dynamo(), configTableDefinition(configTable));
        createTable(aws.dynamo(), eventsTableDefinition(eventsTable));

        SqsClient sqs = aws.sqs();
        String dlqUrl = sqs.createQueue(b -> b.queueName(prefix + "-deliveries-dlq").attributes(Map.of(
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, FOURTEEN_DAYS,
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(MAX_MESSAGE_BYTES)))).queueUrl();
        String dlqArn = queueArn(sqs, dlqUrl);
        String redrivePolicy = "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"" + maxReceives + "\"}";
        String queueUrl = sqs.createQueue(b -> b.queueName(prefix + "-deliveries").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(visibilityTimeout.toSeconds()),
                QueueAttributeName.MESSAGE_RETENTION_PERIOD, FOURTEEN_DAYS,
                QueueAttributeName.MAXIMUM_MESSAGE_SIZE, Integer.toString(MAX_MESSAGE_BYTES),
                QueueAttributeName.REDRIVE_POLICY, redrivePolicy))).queueUrl();
        String queueArn = queueArn(sqs, queueUrl);
        // As template.yaml's CredentialKeySecret: one per deployment, whatever the number of endpoints.
        String keySecretId = prefix + "/credential-key";
        aws.secrets().createSecret(b -> b.name(keySecretId).secretString(KeyEncryptionKeys.generate().toJson())
                .description("Signet key-encryption key of endpoint credentials"));
        return new LocalResources(prefix, configTable, eventsTable, keySecretId, queueUrl, queueArn, dlqUrl, dlqArn, maxReceives,
                visibilityTimeout);
    }

    /**
     * The SIGNET_* variables template.yaml gives the functions for these resources, as
     * {@code SignetConfig.from(...)} reads them. (The queues' ARNs are available from this record; the
     * functions do not need them.)
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SIGNET_CONFIG_TABLE", configTable);
        env.put("SIGNET_EVENTS_TABLE", eventsTable);
        env.put("SIGNET_DELIVERY_QUEUE_URL", deliveryQueueUrl);
        env.put("SIGNET_CREDENTIAL_KEY_SECRET_ID", credentialKeySecretId);
        env.put("SIGNET_DEAD_LETTER_QUEUE_URL", deadLetterQueueUrl);
        env.put("SIGNET_MAX_RECEIVES", Integer.toString(maxReceiveCount));
        return env;
    }

    /** Deletes the tables, queues and the key-encryption key secret (other secrets under the prefix stay; moto forgets them on exit). */
    public void delete(AwsClients aws) {
        try {
            aws.secrets().deleteSecret(b -> b.secretId(credentialKeySecretId).forceDeleteWithoutRecovery(true));
        } catch (software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException gone) {
            // already deleted
        }
        for (String table : List.of(configTable, eventsTable)) {
            try {
                aws.dynamo().deleteTable(b -> b.tableName(table));
            } catch (ResourceNotFoundException gone) {
                // already deleted
            }
        }
        for (String url : List.of(deliveryQueueUrl, deadLetterQueueUrl)) {
            try {
                aws.sqs().deleteQueue(b -> b.queueUrl(url));
            } catch (QueueDoesNotExistException gone) {
                // already deleted
            }
        }
    }

    /** The tables as created here (and as template.yaml declares them), e.g. for the AWS request counter. */
    public List<CreateTableRequest> tables() {
        return List.of(configTableDefinition(configTable), eventsTableDefinition(eventsTable));
    }

    static CreateTableRequest configTableDefinition(String name) {
        return tableDefinition(name, List.of());
    }

    /**
     * The events table: both delivery-log indexes project only {@link EventsTable#LOG_INDEX_ATTRIBUTES},
     * the sparse missed index only {@link EventsTable#MISSED_INDEX_ATTRIBUTES}, exactly as template.yaml's
     * EventsTable does (TemplateIsValidSamTest compares them).
     */
    static CreateTableRequest eventsTableDefinition(String name) {
        return tableDefinition(name, List.of(index(EventsTable.BY_WORKSPACE, "gsi1pk", "gsi1sk", EventsTable.LOG_INDEX_ATTRIBUTES),
                index(EventsTable.BY_ENDPOINT, "gsi2pk", "gsi2sk", EventsTable.LOG_INDEX_ATTRIBUTES),
                index(EventsTable.MISSED, "gsi3pk", "gsi3sk", EventsTable.MISSED_INDEX_ATTRIBUTES)));
    }

    private static CreateTableRequest tableDefinition(String name, List<GlobalSecondaryIndex> indexes) {
        List<AttributeDefinition> attributes = new java.util.ArrayList<>(List.of(stringAttribute("pk"), stringAttribute("sk")));
        for (GlobalSecondaryIndex index : indexes) {
            index.keySchema().forEach(k -> attributes.add(stringAttribute(k.attributeName())));
        }
        CreateTableRequest.Builder b = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE));
        if (!indexes.isEmpty()) {
            b.globalSecondaryIndexes(indexes);
        }
        return b.build();
    }

    private static void createTable(DynamoDbClient dynamo, CreateTableRequest table) {
        dynamo.createTable(table);
        dynamo.waiter().waitUntilTableExists(b -> b.tableName(table.tableName()));
        dynamo.updateTimeToLive(b -> b.tableName(table.tableName())
                .timeToLiveSpecification(t -> t.attributeName(TTL_ATTRIBUTE).enabled(true)));
    }

    private static GlobalSecondaryIndex index(String name, String hash, String range, List<String> projected) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(key(hash, KeyType.HASH), key(range, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE).nonKeyAttributes(projected).build())
                .build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static String queueArn(SqsClient sqs, String url) {
        return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }
}
