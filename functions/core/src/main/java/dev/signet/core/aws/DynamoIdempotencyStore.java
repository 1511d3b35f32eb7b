package dev.signet.core.aws;

import dev.signet.core.store.IdempotencyStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

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
 * Idempotency-Key records in the events table: {@code {scope}#idem#{sha256(key)} / idem}, kept 24 h
 * ({@link EventsTable#scope}: a workspace created again never meets the deleted one's keys).
 * A key is claimed with a conditional put, so two concurrent requests cannot both run; a request that
 * failed leaves a checkpoint (what it stored and queued) that its retry resumes from.
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

    private static Map<String, AttributeValue> idemKey(String workspaceId, String generation, String keyHash) {
        return key(EventsTable.idempotencyKey(workspaceId, generation, keyHash), "idem");
    }

    /**
     * A conditional PutItem takes a key that is absent or past its 24 hours. Otherwise one consistent
     * read tells the rest apart: another request (Conflict), done (Replay), running under its lock
     * (InProgress), or failed or abandoned (its lock lapsed), which a conditional update takes over
     * with the checkpoint that attempt left.
     */
    @Override
    public Claim claim(String workspaceId, String generation, String keyHash, String requestHash, String checkpoint) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(idemKey(workspaceId, generation, keyHash));
        item.put("state", s("running"));
        item.put("request_hash", s(requestHash));
        item.put("checkpoint", s(checkpoint));
        item.put("locked_until", n(now.plus(IDEMPOTENCY_LOCK).getEpochSecond()));
        item.put("ttl", n(now.plus(IDEMPOTENCY_WINDOW).getEpochSecond()));
        try {
            // Free if absent, or expired but not yet swept by TTL.
            dynamo.putItem(r -> r.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(pk) OR #ttl < :now")
                    .expressionAttributeNames(Map.of("#ttl", "ttl"))
                    .expressionAttributeValues(Map.of(":now", n(now.getEpochSecond()))));
            return new Claim.Claimed(checkpoint);
        } catch (ConditionalCheckFailedException e) {
            var existing = dynamo.getItem(r -> r.tableName(table).key(idemKey(workspaceId, generation, keyHash)).consistentRead(true)).item();
            if (existing == null || existing.isEmpty()) {
                return new Claim.InProgress(); // swept between the two calls: the client's retry claims it afresh
            }
            if (!requestHash.equals(str(existing, "request_hash"))) {
                return new Claim.Conflict();
            }
            String state = str(existing, "state");
            if ("done".equals(state)) {
                return new Claim.Replay((int) Attrs.num(existing, "status", 202), str(existing, "body"));
            }
            if ("running".equals(state) && Attrs.num(existing, "locked_until", 0) >= now.getEpochSecond()) {
                return new Claim.InProgress();
            }
            return resume(workspaceId, generation, keyHash, requestHash, now);
        }
    }

    /** Takes over a released or abandoned record of the same request, unless another caller just did. */
    private Claim resume(String workspaceId, String generation, String keyHash, String requestHash, Instant now) {
        try {
            var updated = dynamo.updateItem(r -> r.tableName(table).key(idemKey(workspaceId, generation, keyHash))
                    .updateExpression("SET #state = :running, locked_until = :lock")
                    .conditionExpression("request_hash = :rh AND (#state = :released OR (#state = :running AND locked_until < :now))")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":running", s("running"), ":released", s("released"), ":rh", s(requestHash),
                            ":lock", n(now.plus(IDEMPOTENCY_LOCK).getEpochSecond()), ":now", n(now.getEpochSecond())))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return new Claim.Claimed(str(updated, "checkpoint"));
        } catch (ConditionalCheckFailedException e) {
            return new Claim.InProgress();
        }
    }

    @Override
    public void complete(String workspaceId, String generation, String keyHash, int status, String body) {
        dynamo.updateItem(r -> r.tableName(table).key(idemKey(workspaceId, generation, keyHash))
                .updateExpression("SET #state = :done, #status = :status, body = :body REMOVE locked_until, #checkpoint")
                .expressionAttributeNames(Map.of("#state", "state", "#status", "status", "#checkpoint", "checkpoint"))
                .expressionAttributeValues(Map.of(":done", s("done"), ":status", n(status), ":body", s(body))));
    }

    @Override
    public void release(String workspaceId, String generation, String keyHash, String checkpoint) {
        dynamo.updateItem(r -> r.tableName(table).key(idemKey(workspaceId, generation, keyHash))
                .updateExpression("SET #state = :released, #checkpoint = :checkpoint REMOVE locked_until")
                .expressionAttributeNames(Map.of("#state", "state", "#checkpoint", "checkpoint"))
                .expressionAttributeValues(Map.of(":released", s("released"), ":checkpoint", s(checkpoint))));
    }
}
