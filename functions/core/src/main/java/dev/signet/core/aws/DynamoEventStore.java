package dev.signet.core.aws;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.store.EventStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;
import static dev.signet.core.aws.EventsTable.ATTEMPT_SK;
import static dev.signet.core.aws.EventsTable.eventKey;

/**
 * Events and their attempts in the events table ({@link EventsTable}), all expiring by TTL after the
 * retention period. An event and its attempts share a partition, so an event's history is one Query.
 */
public final class DynamoEventStore implements EventStore {
    /** BatchWriteItem takes at most 25 items. */
    private static final int BATCH = 25;
    private static final int BATCH_TRIES = 5;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;

    public DynamoEventStore(DynamoDbClient dynamo, String table, Duration retention) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
    }

    private long expiry(Instant from) {
        return from.plus(retention).getEpochSecond();
    }

    @Override
    public void putEvent(Event e) {
        dynamo.putItem(r -> r.tableName(table).item(EventsTable.eventItem(e, expiry(e.createdAt()))));
    }

    @Override
    public void putEvents(List<Event> events) {
        List<WriteRequest> writes = new ArrayList<>();
        for (Event e : events) {
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(EventsTable.eventItem(e, expiry(e.createdAt()))).build()).build());
        }
        for (int from = 0; from < writes.size(); from += BATCH) {
            Map<String, List<WriteRequest>> pending = Map.of(table, writes.subList(from, Math.min(from + BATCH, writes.size())));
            for (int tries = 0; !pending.isEmpty(); tries++) {
                if (tries == BATCH_TRIES) {
                    throw new IllegalStateException("DynamoDB left events unwritten after " + BATCH_TRIES + " tries");
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
    public Optional<Event> getEvent(String workspaceId, String generation, String eventId) {
        var i = dynamo.getItem(r -> r.tableName(table).key(key(eventKey(workspaceId, generation, eventId), "event"))).item();
        if (i == null || i.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(EventsTable.eventFrom(workspaceId, generation, eventId, i));
    }

    @Override
    public void putAttempt(Attempt a) {
        dynamo.putItem(r -> r.tableName(table).item(EventsTable.attemptItem(a, expiry(a.createdAt()))));
    }

    @Override
    public List<Attempt> attemptsOf(String workspaceId, String generation, String eventId) {
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :att)")
                .expressionAttributeValues(Map.of(":pk", s(eventKey(workspaceId, generation, eventId)), ":att", s(ATTEMPT_SK)))
                .build();
        return dynamo.queryPaginator(q).items().stream().map(i -> EventsTable.attemptFrom(workspaceId, generation, i)).toList();
    }

    /** One Query of the event's partition: the event item ("event") sorts after its attempts ("att#…"). */
    @Override
    public Optional<EventHistory> history(String workspaceId, String generation, String eventId) {
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(eventKey(workspaceId, generation, eventId))))
                .build();
        Event event = null;
        List<Attempt> attempts = new ArrayList<>();
        for (Map<String, AttributeValue> i : dynamo.queryPaginator(q).items()) {
            String sk = str(i, "sk");
            if ("event".equals(sk)) {
                event = EventsTable.eventFrom(workspaceId, generation, eventId, i);
            } else if (sk != null && sk.startsWith(ATTEMPT_SK)) {
                attempts.add(EventsTable.attemptFrom(workspaceId, generation, i));
            }
        }
        return event == null ? Optional.empty() : Optional.of(new EventHistory(event, attempts));
    }
}
