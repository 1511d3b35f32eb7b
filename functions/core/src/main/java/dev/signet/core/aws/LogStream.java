package dev.signet.core.aws;

import dev.signet.core.event.Attempt;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.signet.core.aws.Attrs.str;

/**
 * One Query of the delivery log (an index shard, or an event's partition) read newest first, a page at
 * a time, into a buffer the page merge takes from. Its pages grow (doubling up to 1000 items) because
 * a sparse filter or uneven shards need more than the first small page; that is why this pages by hand
 * rather than with the SDK's paginator, whose page size is fixed.
 */
final class LogStream {
    static final int MAX_PAGE_ITEMS = 1_000;

    /**
     * What one stream reads: {@code request} holds the key condition, filter and index (no limit, no
     * start key); {@code sortKey} names the attribute the position is read from; {@code skipId} is an
     * attempt id the key condition includes but the page must not (an inclusive BETWEEN's upper end).
     */
    record Plan(QueryRequest request, String sortKey, String skipId, String workspaceId, String generation) {
    }

    private final DynamoDbClient dynamo;
    private final Plan plan;
    private int pageSize;
    private final ArrayDeque<Attempt> buffer = new ArrayDeque<>();
    private Map<String, AttributeValue> startKey;
    private boolean exhausted;
    /** The lowest attempt id examined so far (matching or not); null before the first page. */
    private String examinedTo;

    LogStream(DynamoDbClient dynamo, Plan plan, int firstPageSize) {
        this.dynamo = dynamo;
        this.plan = plan;
        this.pageSize = Math.min(firstPageSize, MAX_PAGE_ITEMS);
    }

    /** The newest buffered attempt, or null. */
    Attempt head() {
        return buffer.peek();
    }

    Attempt take() {
        return buffer.poll();
    }

    String examinedTo() {
        return examinedTo;
    }

    /** Out of budget with nothing buffered and more to read: its unread items are all below {@link #examinedTo}. */
    boolean stalled() {
        return buffer.isEmpty() && !exhausted && examinedTo != null;
    }

    void fillUnlessEmpty(AtomicInteger budget) {
        while (buffer.isEmpty() && !exhausted && budget.get() > 0) {
            fetch(budget);
        }
    }

    /** Reads the next page, charging what DynamoDB examined (matching or not) to {@code budget}. */
    void fetch(AtomicInteger budget) {
        if (exhausted) {
            return;
        }
        QueryRequest.Builder q = plan.request().toBuilder().scanIndexForward(false).limit(pageSize);
        if (startKey != null) {
            q.exclusiveStartKey(startKey);
        }
        QueryResponse page = dynamo.query(q.build());
        budget.addAndGet(-Math.max(1, page.scannedCount() == null ? page.count() : page.scannedCount()));
        for (Map<String, AttributeValue> i : page.items()) {
            Attempt a = EventsTable.attemptFrom(plan.workspaceId(), plan.generation(), i);
            if (!a.id().equals(plan.skipId())) {
                buffer.add(a);
            }
        }
        if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
            startKey = page.lastEvaluatedKey();
            String position = str(startKey, plan.sortKey());
            examinedTo = position.startsWith(EventsTable.ATTEMPT_SK) ? position.substring(EventsTable.ATTEMPT_SK.length()) : position;
        } else {
            exhausted = true;
        }
        pageSize = Math.min(pageSize * 2, MAX_PAGE_ITEMS);
    }
}
