package dev.signet.core.aws;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.IdempotencyStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.n;
import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;

/**
 * The events table: events, their attempts and idempotency records, all expiring by TTL. Keys (see
 * ARCHITECTURE.md):
 * <pre>
 *   ws#{ws}#evt#{evt}    / event        the event, its raw payload, the endpoints it went to
 *   ws#{ws}#evt#{evt}    / att#{att}    an attempt (one Query gives an event's whole history)
 *   ws#{ws}#idem#{hash}  / idem         an Idempotency-Key's stored response (24 h)
 * GSI by_workspace:  gsi1pk = ws#{ws}#s{0..N-1} (write-sharded), gsi1sk = att id (time-ordered)
 * GSI by_endpoint:   gsi2pk = ws#{ws}#ep#{ep},                   gsi2sk = att id
 * </pre>
 */
public final class DynamoEventStore implements EventStore, IdempotencyStore {
    /** Shards of a workspace's attempt log, so one busy workspace's writes spread over partitions. */
    public static final int ATTEMPT_SHARDS = 4;
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    static final Duration IDEMPOTENCY_LOCK = Duration.ofMinutes(1);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;

    public DynamoEventStore(DynamoDbClient dynamo, String table, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
    }

    static String eventKey(String workspaceId, String eventId) {
        return "ws#" + workspaceId + "#evt#" + eventId;
    }

    private long expiry(Instant from) {
        return from.plus(retention).getEpochSecond();
    }

    @Override
    public void putEvent(Event e) {
        dynamo.putItem(r -> r.tableName(table).item(eventItem(e)));
    }

    private Map<String, AttributeValue> eventItem(Event e) {
        Map<String, AttributeValue> item = new HashMap<>(key(eventKey(e.workspaceId(), e.id()), "event"));
        item.put("type", s(e.type()));
        item.put("created_at", s(e.createdAt().toString()));
        if (e.resource() != null) {
            item.put("resource", s(e.resource()));
        }
        if (e.resourceId() != null) {
            item.put("resource_id", s(e.resourceId()));
        }
        item.put("payload", s(e.payload()));
        item.put("endpoint_ids", Attrs.list(e.endpointIds()));
        item.put("ttl", n(expiry(e.createdAt())));
        return item;
    }

    @Override
    public void putEvents(List<Event> events) {
        List<WriteRequest> writes = new ArrayList<>();
        for (Event e : events) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(eventItem(e)).build()).build());
        }
        for (int from = 0; from < writes.size(); from += 25) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from, Math.min(from + 25, writes.size())));
            for (int tries = 0; !pending.isEmpty(); tries++) {
                if (tries == 5) {
                    throw new IllegalStateException("DynamoDB left events unwritten after 5 tries");
                }
                if (tries > 0) {
                    sleep(50L << tries);
                }
                Map<String, List<WriteRequest>> request = pending;
                BatchWriteItemResponse response = dynamo.batchWriteItem(r -> r.requestItems(request));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing events", e);
        }
    }

    @Override
    public Optional<Event> getEvent(String workspaceId, String eventId) {
        var i = dynamo.getItem(r -> r.tableName(table).key(key(eventKey(workspaceId, eventId), "event"))).item();
        if (i == null || i.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Event(eventId, workspaceId, str(i, "type"), Instant.parse(str(i, "created_at")),
                str(i, "resource"), str(i, "resource_id"), str(i, "payload"), Attrs.strings(i, "endpoint_ids")));
    }

    @Override
    public void putAttempt(Attempt a) {
        Map<String, AttributeValue> item = new HashMap<>(key(eventKey(a.workspaceId(), a.eventId()), "att#" + a.id()));
        item.put("id", s(a.id()));
        item.put("event_id", s(a.eventId()));
        item.put("endpoint_id", s(a.endpointId()));
        item.put("attempt", n(a.attempt()));
        item.put("status", s(a.status().wire()));
        if (a.responseStatus() != null) {
            item.put("response_status", n(a.responseStatus()));
        }
        if (a.responseBody() != null) {
            item.put("response_body", s(a.responseBody()));
        }
        if (a.error() != null) {
            item.put("error", s(a.error()));
        }
        item.put("duration_ms", n(a.durationMs()));
        item.put("created_at", s(a.createdAt().toString()));
        if (a.nextAttemptAt() != null) {
            item.put("next_attempt_at", s(a.nextAttemptAt().toString()));
        }
        item.put("delivery_status", s(a.deliveryStatus().wire()));
        item.put("gsi1pk", s("ws#" + a.workspaceId() + "#s" + Math.floorMod(a.id().hashCode(), ATTEMPT_SHARDS)));
        item.put("gsi1sk", s(a.id()));
        item.put("gsi2pk", s("ws#" + a.workspaceId() + "#ep#" + a.endpointId()));
        item.put("gsi2sk", s(a.id()));
        item.put("ttl", n(expiry(a.createdAt())));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public List<Attempt> attemptsOf(String workspaceId, String eventId) {
        List<Attempt> attempts = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :att)")
                    .expressionAttributeValues(Map.of(":pk", s(eventKey(workspaceId, eventId)), ":att", s("att#")));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            page.items().forEach(i -> attempts.add(attemptFrom(workspaceId, i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return attempts;
    }

    static Attempt attemptFrom(String workspaceId, Map<String, AttributeValue> i) {
        String next = str(i, "next_attempt_at");
        return new Attempt(str(i, "id"), workspaceId, str(i, "event_id"), str(i, "endpoint_id"),
                (int) Attrs.num(i, "attempt", 0),
                Attempt.Status.valueOf(str(i, "status").toUpperCase(Locale.ROOT)),
                Attrs.optInt(i, "response_status"), str(i, "response_body"), str(i, "error"),
                Attrs.num(i, "duration_ms", 0), Instant.parse(str(i, "created_at")),
                next == null ? null : Instant.parse(next),
                Attempt.DeliveryStatus.valueOf(str(i, "delivery_status").toUpperCase(Locale.ROOT)));
    }

    // ---- idempotency ------------------------------------------------------------------------

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
