package dev.signet.core.aws;

import dev.signet.core.event.Attempt;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.DeliveryLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;
import static dev.signet.core.aws.EventsTable.ATTEMPT_SK;

/**
 * Reads the delivery log from the events table ({@link EventsTable}), only ever with Query: the whole
 * log merges the shards of by_workspace newest first, an endpoint's log is its by_endpoint partition,
 * an event's is its own partition.
 */
public final class DynamoDeliveryLog implements DeliveryLog {
    /**
     * Attempts one delivery-log page may read (DynamoDB's ScannedCount), so a sparse status filter over
     * a busy workspace returns a short page with a cursor instead of running the request into its timeout.
     */
    public static final int LOG_READ_BUDGET = 5_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final int logReadBudget;

    public DynamoDeliveryLog(DynamoDbClient dynamo, String table) {
        this(dynamo, table, LOG_READ_BUDGET);
    }

    /** @param logReadBudget attempts one delivery-log page may read at most (tests use a small one) */
    public DynamoDeliveryLog(DynamoDbClient dynamo, String table, int logReadBudget) {
        if (logReadBudget < 1) {
            throw new IllegalArgumentException("logReadBudget must be positive");
        }
        this.dynamo = dynamo;
        this.table = table;
        this.logReadBudget = logReadBudget;
    }

    /**
     * Query plan: {@code event_id} → the event's partition (endpoint as a filter); else
     * {@code endpoint_id} → by_endpoint; else the shards of by_workspace, merged. {@code status} is a
     * FilterExpression on any of them. Every stream is read newest first below the cursor, and merged by
     * attempt id, so a page is exactly "the next {@code limit} attempts older than the cursor".
     */
    @Override
    public AttemptLogPage attempts(AttemptLogQuery q) {
        if (q.limit() < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        List<LogStream.Plan> plans = plansFor(q);
        int firstPage = plans.size() == 1 ? q.limit() + 1 : (q.limit() + plans.size() - 1) / plans.size() + 1;
        List<LogStream> streams = plans.stream().map(p -> new LogStream(dynamo, p, firstPage)).toList();
        AtomicInteger budget = new AtomicInteger(logReadBudget);
        fetchFirstPages(streams, budget);
        return merge(streams, q.limit(), budget);
    }

    /** Takes the newest buffered attempt of all streams until the page is full, the log ends or the budget does. */
    private static AttemptLogPage merge(List<LogStream> streams, int limit, AtomicInteger budget) {
        List<Attempt> out = new ArrayList<>();
        while (true) {
            for (LogStream s : streams) {
                s.fillUnlessEmpty(budget);
            }
            // A stream the budget left without a buffered item may still hold anything below what it
            // has examined: nothing under that frontier can be returned yet.
            String frontier = null;
            for (LogStream s : streams) {
                if (s.stalled() && (frontier == null || s.examinedTo().compareTo(frontier) > 0)) {
                    frontier = s.examinedTo();
                }
            }
            LogStream top = null;
            for (LogStream s : streams) {
                if (s.head() != null && (top == null || s.head().id().compareTo(top.head().id()) > 0)) {
                    top = s;
                }
            }
            if (out.size() == limit) {
                boolean more = top != null || frontier != null;
                return new AttemptLogPage(out, more ? out.getLast().id() : null);
            }
            if (top == null && frontier == null) {
                return new AttemptLogPage(out, null); // every stream exhausted
            }
            if (top == null || frontier != null && top.head().id().compareTo(frontier) < 0) {
                // Out of budget: everything at or above the frontier has been returned or filtered out.
                return new AttemptLogPage(out, frontier);
            }
            out.add(top.take());
        }
    }

    private List<LogStream.Plan> plansFor(AttemptLogQuery q) {
        String ws = q.workspaceId();
        List<String> filters = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (q.status() != null) {
            filters.add("#status = :status");
            names.put("#status", "status");
            values.put(":status", s(q.status().wire()));
        }
        if (q.eventId() != null) {
            if (q.endpointId() != null) {
                filters.add("endpoint_id = :ep");
                values.put(":ep", s(q.endpointId()));
            }
            values.put(":pk", s(EventsTable.eventKey(ws, q.eventId())));
            values.put(":lo", s(ATTEMPT_SK));
            String key = "pk = :pk AND begins_with(sk, :lo)";
            if (q.before() != null) {
                // BETWEEN is inclusive: the cursor's own attempt is read again and dropped.
                key = "pk = :pk AND sk BETWEEN :lo AND :hi";
                values.put(":hi", s(ATTEMPT_SK + q.before()));
            }
            return List.of(new LogStream.Plan(query(null, key, filters, names, values), "sk", q.before(), ws));
        }
        if (q.endpointId() != null) {
            values.put(":pk", s(EventsTable.endpointLog(ws, q.endpointId())));
            return List.of(new LogStream.Plan(query(EventsTable.BY_ENDPOINT, below("gsi2", q.before(), values), filters, names, values),
                    "gsi2sk", null, ws));
        }
        List<LogStream.Plan> shards = new ArrayList<>();
        for (int shard = 0; shard < EventsTable.WORKSPACE_SHARDS; shard++) {
            Map<String, AttributeValue> v = new HashMap<>(values);
            v.put(":pk", s(EventsTable.workspaceShard(ws, shard)));
            shards.add(new LogStream.Plan(query(EventsTable.BY_WORKSPACE, below("gsi1", q.before(), v), filters, names, v), "gsi1sk", null, ws));
        }
        return shards;
    }

    /** The key condition of an index partition, below the cursor if there is one. */
    private static String below(String index, String before, Map<String, AttributeValue> values) {
        if (before == null) {
            return index + "pk = :pk";
        }
        values.put(":before", s(before));
        return index + "pk = :pk AND " + index + "sk < :before";
    }

    private QueryRequest query(String index, String keyCondition, List<String> filters, Map<String, String> names,
                               Map<String, AttributeValue> values) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(index)
                .keyConditionExpression(keyCondition).expressionAttributeValues(Map.copyOf(values));
        if (!filters.isEmpty()) {
            q.filterExpression(String.join(" AND ", filters));
        }
        if (!names.isEmpty()) {
            q.expressionAttributeNames(Map.copyOf(names));
        }
        return q.build();
    }

    /** The shards' first pages are independent round trips: read them at once. */
    private static void fetchFirstPages(List<LogStream> streams, AtomicInteger budget) {
        if (streams.size() == 1) {
            streams.getFirst().fetch(budget);
            return;
        }
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> pages = new ArrayList<>();
            for (LogStream s : streams) {
                pages.add(pool.submit(() -> s.fetch(budget)));
            }
            for (Future<?> page : pages) {
                page.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the delivery log", e);
        }
    }

    // ---- recovery ---------------------------------------------------------------------------

    /** The by_endpoint partition over the attempt-id range of the window, oldest first, read lazily page by page. */
    @Override
    public EndpointWindow endpointWindow(String workspaceId, String endpointId, Instant since, Instant until, int maxAttempts) {
        QueryRequest q = QueryRequest.builder().tableName(table).indexName(EventsTable.BY_ENDPOINT)
                .keyConditionExpression("gsi2pk = :pk AND gsi2sk BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":pk", s(EventsTable.endpointLog(workspaceId, endpointId)),
                        ":lo", s(Ids.lowestAt("att_", since)), ":hi", s(Ids.highestAt("att_", until))))
                .projectionExpression("event_id, gsi2sk, delivery_status")
                .scanIndexForward(true)
                .build();
        Iterator<WindowAttempt> attempts = dynamo.queryPaginator(q).items().stream()
                .map(i -> new WindowAttempt(str(i, "event_id"), str(i, "gsi2sk"), EventsTable.deliveryStatus(i)))
                .iterator();
        return EndpointWindow.collect(attempts, until, maxAttempts);
    }
}
