package dev.signet.core.aws;

import dev.signet.core.event.Attempt;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.DeliveryLog;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;
import static dev.signet.core.aws.EventsTable.ATTEMPT_SK;

/**
 * Reads the delivery log from the events table ({@link EventsTable}), only ever with Query: the whole
 * log merges the shards of by_workspace newest first, an endpoint's log the shards of by_endpoint, an
 * event's log is its own partition. The indexes do not hold response bodies: a page read from them
 * gets its attempts' bodies from the table (one BatchGetItem).
 */
public final class DynamoDeliveryLog implements DeliveryLog {
    /**
     * Attempts one delivery-log page may read (DynamoDB's ScannedCount), so a sparse status filter over
     * a busy workspace returns a short page with a cursor instead of running the request into its timeout.
     */
    public static final int LOG_READ_BUDGET = 5_000;
    /** BatchGetItem takes at most 100 keys. */
    private static final int BATCH_GET = 100;

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
        AttemptLogPage page = merge(streams, q.limit(), budget);
        return q.eventId() != null ? page : new AttemptLogPage(withBodies(page.attempts()), page.continueBefore());
    }

    /**
     * The page's attempts with the response bodies the indexes leave out, read from the table: only for
     * attempts that got a response (an empty body is not stored, so some reads find none).
     */
    private List<Attempt> withBodies(List<Attempt> attempts) {
        List<Map<String, AttributeValue>> keys = attempts.stream().filter(a -> a.responseStatus() != null)
                .map(EventsTable::attemptKey).toList();
        if (keys.isEmpty()) {
            return attempts;
        }
        Map<String, String> bodies = new HashMap<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET) {
            BatchGetItemRequest request = BatchGetItemRequest.builder().requestItems(Map.of(table, KeysAndAttributes.builder()
                    .keys(keys.subList(from, Math.min(from + BATCH_GET, keys.size())))
                    .projectionExpression("sk, response_body").build())).build();
            // The paginator asks again for the keys DynamoDB left unprocessed.
            for (BatchGetItemResponse response : dynamo.batchGetItemPaginator(request)) {
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    String body = str(item, "response_body");
                    if (body != null) {
                        bodies.put(str(item, "sk").substring(ATTEMPT_SK.length()), body);
                    }
                }
            }
        }
        return attempts.stream().map(a -> bodies.containsKey(a.id()) ? EventsTable.withBody(a, bodies.get(a.id())) : a).toList();
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
        String gen = q.generation();
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
            values.put(":pk", s(EventsTable.eventKey(ws, gen, q.eventId())));
            values.put(":lo", s(ATTEMPT_SK));
            String key = "pk = :pk AND begins_with(sk, :lo)";
            if (q.before() != null) {
                // BETWEEN is inclusive: the cursor's own attempt is read again and dropped.
                key = "pk = :pk AND sk BETWEEN :lo AND :hi";
                values.put(":hi", s(ATTEMPT_SK + q.before()));
            }
            return List.of(new LogStream.Plan(query(null, key, filters, names, values), "sk", q.before(), ws, gen));
        }
        List<LogStream.Plan> shards = new ArrayList<>();
        boolean byEndpoint = q.endpointId() != null;
        for (int shard = 0; shard < (byEndpoint ? EventsTable.ENDPOINT_SHARDS : EventsTable.WORKSPACE_SHARDS); shard++) {
            Map<String, AttributeValue> v = new HashMap<>(values);
            v.put(":pk", s(byEndpoint ? EventsTable.endpointShard(ws, gen, q.endpointId(), shard) : EventsTable.workspaceShard(ws, gen, shard)));
            String index = byEndpoint ? "gsi2" : "gsi1";
            shards.add(new LogStream.Plan(query(byEndpoint ? EventsTable.BY_ENDPOINT : EventsTable.BY_WORKSPACE,
                    below(index, q.before(), v), filters, names, v), index + "sk", null, ws, gen));
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

    /**
     * The by_endpoint shards over the attempt-id range of the window, each read oldest first page by
     * page as the merge needs it.
     */
    @Override
    public EndpointWindow endpointWindow(String workspaceId, String generation, String endpointId, Instant since, Instant until,
                                         int maxAttempts) {
        List<Iterator<WindowAttempt>> shards = new ArrayList<>();
        for (int shard = 0; shard < EventsTable.ENDPOINT_SHARDS; shard++) {
            QueryRequest q = QueryRequest.builder().tableName(table).indexName(EventsTable.BY_ENDPOINT)
                    .keyConditionExpression("gsi2pk = :pk AND gsi2sk BETWEEN :lo AND :hi")
                    .expressionAttributeValues(Map.of(":pk", s(EventsTable.endpointShard(workspaceId, generation, endpointId, shard)),
                            ":lo", s(Ids.lowestAt("att_", since)), ":hi", s(Ids.highestAt("att_", until))))
                    .projectionExpression("event_id, gsi2sk, delivery_status")
                    .scanIndexForward(true)
                    .build();
            shards.add(dynamo.queryPaginator(q).items().stream()
                    .map(i -> new WindowAttempt(str(i, "event_id"), str(i, "gsi2sk"), EventsTable.deliveryStatus(i)))
                    .iterator());
        }
        return EndpointWindow.collect(oldestFirst(shards, WindowAttempt::attemptId), until, maxAttempts);
    }

    /**
     * The shards of the sparse missed index over the event-id range of the window, oldest first, keeping
     * the events whose missed endpoints include this one (a FilterExpression: the index holds only events
     * that some disabled endpoint missed, so little is read for nothing).
     */
    @Override
    public MissedEvents missedEvents(String workspaceId, String generation, String endpointId, Instant since, Instant until, int maxEvents) {
        List<Iterator<String>> shards = new ArrayList<>();
        for (int shard = 0; shard < EventsTable.MISSED_SHARDS; shard++) {
            QueryRequest q = QueryRequest.builder().tableName(table).indexName(EventsTable.MISSED)
                    .keyConditionExpression("gsi3pk = :pk AND gsi3sk BETWEEN :lo AND :hi")
                    .filterExpression("contains(missed_endpoint_ids, :ep)")
                    .expressionAttributeValues(Map.of(":pk", s(EventsTable.missedShard(workspaceId, generation, shard)),
                            ":lo", s(Ids.lowestAt("evt_", since)), ":hi", s(Ids.highestAt("evt_", until)), ":ep", s(endpointId)))
                    .projectionExpression("gsi3sk")
                    .scanIndexForward(true)
                    .build();
            shards.add(dynamo.queryPaginator(q).items().stream().map(i -> str(i, "gsi3sk")).iterator());
        }
        return MissedEvents.collect(oldestFirst(shards, id -> id), until, maxEvents);
    }

    /** Merges shards each read oldest first into one stream, oldest first (by the time-ordered id {@code idOf} gives). */
    private static <T> Iterator<T> oldestFirst(List<Iterator<T>> shards, java.util.function.Function<T, String> idOf) {
        List<T> heads = new ArrayList<>();
        shards.forEach(shard -> heads.add(shard.hasNext() ? shard.next() : null));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return heads.stream().anyMatch(Objects::nonNull);
            }

            @Override
            public T next() {
                int oldest = -1;
                for (int i = 0; i < heads.size(); i++) {
                    if (heads.get(i) != null && (oldest < 0 || idOf.apply(heads.get(i)).compareTo(idOf.apply(heads.get(oldest))) < 0)) {
                        oldest = i;
                    }
                }
                if (oldest < 0) {
                    throw new NoSuchElementException();
                }
                T next = heads.get(oldest);
                heads.set(oldest, shards.get(oldest).hasNext() ? shards.get(oldest).next() : null);
                return next;
            }
        };
    }
}
