package dev.signet.core.aws;

import dev.signet.core.store.IdempotencyStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.n;
import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;

/**
 * Idempotency-Key records in the events table: {@code ws#{ws}#idem#{sha256(key)} / idem}, kept 24 h.
 * A key is claimed with a conditional put, so two concurrent requests cannot both run.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    /** How long a claimed key stays taken by a request that never completes it (a crashed one). */
    static final Duration IDEMPOTENCY_LOCK = Duration.ofMinutes(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoIdempotencyStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    private static Map<String, AttributeValue> idemKey(String workspaceId, String keyHash) {
        return key("ws#" + workspaceId + "#idem#" + keyHash, "idem");
    }

    @Override
    public Claim claim(String workspaceId, String keyHash, String requestHash) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(idemKey(workspaceId, keyHash));
        item.put("state", s("running"));
        item.put("request_hash", s(requestHash));
        item.put("locked_until", n(now.plus(IDEMPOTENCY_LOCK).getEpochSecond()));
        item.put("ttl", n(now.plus(IDEMPOTENCY_WINDOW).getEpochSecond()));
        try {
            // Free if absent, expired but not yet swept by TTL, or abandoned by a crashed request.
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR #ttl < :now OR (#state = :running AND locked_until < :now)")
                    .expressionAttributeNames(Map.of("#ttl", "ttl", "#state", "state"))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()), ":running", s("running"))));
            return new Claim.Claimed();
        } catch (ConditionalCheckFailedException e) {
            var existing = dynamo.getItem(r -> r.tableName(table).key(idemKey(workspaceId, keyHash)).consistentRead(true)).item();
            if (existing != null && "done".equals(str(existing, "state"))) {
                return new Claim.Replay((int) Attrs.num(existing, "status", 202), str(existing, "body"), str(existing, "request_hash"));
            }
            return new Claim.InProgress();
        }
    }

    @Override
    public void complete(String workspaceId, String keyHash, int status, String body) {
        dynamo.updateItem(r -> r.tableName(table).key(idemKey(workspaceId, keyHash))
                .updateExpression("SET #state = :done, #status = :status, body = :body REMOVE locked_until")
                .expressionAttributeNames(Map.of("#state", "state", "#status", "status"))
                .expressionAttributeValues(Map.of(":done", s("done"), ":status", n(status), ":body", s(body))));
    }

    @Override
    public void release(String workspaceId, String keyHash) {
        dynamo.deleteItem(r -> r.tableName(table).key(idemKey(workspaceId, keyHash)));
    }
}
