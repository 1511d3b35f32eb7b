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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

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
 * The delivery log is only ever read with Query: the whole log merges the N shards of by_workspace
 * newest first, an endpoint's log is one by_endpoint partition, an event's is its own partition.
 */
public final class DynamoEventStore implements EventStore, IdempotencyStore {
    /** Shards of a workspace's attempt log, so one busy workspace's writes spread over partitions. */
    public static final int ATTEMPT_SHARDS = 4;
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    static final Duration IDEMPOTENCY_LOCK = Duration.ofMinutes(1);
    /**
     * Attempts one delivery-log page may read (DynamoDB's ScannedCount), so a sparse status filter over
     * a busy workspace returns a short page with a cursor instead of running the request into its timeout.
     */
    public static final int LOG_READ_BUDGET = 5_000;
    private static final int MAX_LOG_PAGE_ITEMS = 1_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;
    private final int logReadBudget;

    public DynamoEventStore(DynamoDbClient dynamo, String table, Duration retention, Clock clock) {
        this(dynamo, table, retention, clock, LOG_READ_BUDGET);
    }

    /** @param logReadBudget attempts one delivery-log page may read at most (tests use a small one) */
    public DynamoEventStore(DynamoDbClient dynamo, String table, Duration retention, Clock clock, int logReadBudget) {
        if (logReadBudget < 1) {
            throw new IllegalArgumentException("logReadBudget must be positive");
        }
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
        this.logReadBudget = logReadBudget;
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
        return Optional.of(eventFrom(workspaceId, eventId, i));
    }

    private static Event eventFrom(String workspaceId, String eventId, Map<String, AttributeValue> i) {
        return new Event(eventId, workspaceId, str(i, "type"), Instant.parse(str(i, "created_at")),
                str(i, "resource"), str(i, "resource_id"), str(i, "payload"), Attrs.strings(i, "endpoint_ids"));
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

    /** One Query of the event's partition: the event item ("event") sorts after its attempts ("att#…"). */
    @Override
    public Optional<EventHistory> history(String workspaceId, String eventId) {
        Event event = null;
        List<Attempt> attempts = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(eventKey(workspaceId, eventId))));
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            for (Map<String, AttributeValue> i : page.items()) {
                String sk = str(i, "sk");
                if ("event".equals(sk)) {
                    event = eventFrom(workspaceId, eventId, i);
                } else if (sk != null && sk.startsWith("att#")) {
                    attempts.add(attemptFrom(workspaceId, i));
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return event == null ? Optional.empty() : Optional.of(new EventHistory(event, attempts));
    }

    // ---- delivery log -----------------------------------------------------------------------

    /**
     * Query plan: {@code event_id} → the event's partition (endpoint as a filter); else
     * {@code endpoint_id} → by_endpoint; else the shards of by_workspace, merged. {@code status} is a
     * FilterExpression on any of them. Every stream is read newest first below the cursor, and merged by
     * attempt id, so a page is exactly "the next {@code limit} attempts older than the cursor".
     */
    @Override
    public AttemptLogPage attemptLog(AttemptLogQuery q) {
        if (q.limit() < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        List<LogStream> streams = streamsFor(q);
        AtomicInteger budget = new AtomicInteger(logReadBudget);
        fetchFirstPages(streams, budget);
        List<Attempt> out = new ArrayList<>();
        while (true) {
            for (LogStream s : streams) {
                s.fillUnlessEmpty(budget);
            }
            // A stream the budget left without a buffered item may still hold anything below what it
            // has examined: nothing under that frontier can be returned yet.
            String frontier = null;
            for (LogStream s : streams) {
                if (s.stalled() && (frontier == null || s.examinedTo.compareTo(frontier) > 0)) {
                    frontier = s.examinedTo;
                }
            }
            LogStream top = null;
            for (LogStream s : streams) {
                if (!s.buffer.isEmpty() && (top == null || s.buffer.peek().id().compareTo(top.buffer.peek().id()) > 0)) {
                    top = s;
                }
            }
            if (out.size() == q.limit()) {
                boolean more = top != null || frontier != null;
                return new AttemptLogPage(out, more ? out.getLast().id() : null);
            }
            if (top == null && frontier == null) {
                return new AttemptLogPage(out, null); // every stream exhausted
            }
            if (top == null || frontier != null && top.buffer.peek().id().compareTo(frontier) < 0) {
                // Out of budget: everything at or above the frontier has been returned or filtered out.
                return new AttemptLogPage(out, frontier);
            }
            out.add(top.buffer.poll());
        }
    }

    private List<LogStream> streamsFor(AttemptLogQuery q) {
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
            values.put(":pk", s(eventKey(ws, q.eventId())));
            String key;
            if (q.before() == null) {
                key = "pk = :pk AND begins_with(sk, :lo)";
                values.put(":lo", s("att#"));
            } else {
                // BETWEEN is inclusive: the cursor's own attempt is read again and dropped.
                key = "pk = :pk AND sk BETWEEN :lo AND :hi";
                values.put(":lo", s("att#"));
                values.put(":hi", s("att#" + q.before()));
            }
            return List.of(new LogStream(ws, null, key, "sk", filters, names, values, q.before(), q.limit() + 1));
        }
        if (q.endpointId() != null) {
            values.put(":pk", s("ws#" + ws + "#ep#" + q.endpointId()));
            String key = "gsi2pk = :pk";
            if (q.before() != null) {
                key += " AND gsi2sk < :before";
                values.put(":before", s(q.before()));
            }
            return List.of(new LogStream(ws, "by_endpoint", key, "gsi2sk", filters, names, values, null, q.limit() + 1));
        }
        List<LogStream> shards = new ArrayList<>();
        int share = (q.limit() + ATTEMPT_SHARDS - 1) / ATTEMPT_SHARDS + 1;
        for (int shard = 0; shard < ATTEMPT_SHARDS; shard++) {
            Map<String, AttributeValue> v = new HashMap<>(values);
            v.put(":pk", s("ws#" + ws + "#s" + shard));
            String key = "gsi1pk = :pk";
            if (q.before() != null) {
                key += " AND gsi1sk < :before";
                v.put(":before", s(q.before()));
            }
            shards.add(new LogStream(ws, "by_workspace", key, "gsi1sk", filters, names, v, null, share));
        }
        return shards;
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

    /** One Query of the log read newest first, a page at a time, into a buffer of matching attempts. */
    private final class LogStream {
        private final String workspaceId;
        private final String index;
        private final String keyCondition;
        private final String sortKey;
        private final String filter;
        private final Map<String, String> names;
        private final Map<String, AttributeValue> values;
        private final String skipId;
        private int pageSize;
        final ArrayDeque<Attempt> buffer = new ArrayDeque<>();
        private Map<String, AttributeValue> startKey;
        private boolean exhausted;
        /** The lowest attempt id examined so far (matching or not); null before the first page. */
        String examinedTo;

        LogStream(String workspaceId, String index, String keyCondition, String sortKey, List<String> filters,
                  Map<String, String> names, Map<String, AttributeValue> values, String skipId, int pageSize) {
            this.workspaceId = workspaceId;
            this.index = index;
            this.keyCondition = keyCondition;
            this.sortKey = sortKey;
            this.filter = filters.isEmpty() ? null : String.join(" AND ", filters);
            this.names = Map.copyOf(names);
            this.values = Map.copyOf(values);
            this.skipId = skipId;
            this.pageSize = Math.min(pageSize, MAX_LOG_PAGE_ITEMS);
        }

        /** Out of budget with nothing buffered and more to read: its unread items are all below examinedTo. */
        boolean stalled() {
            return buffer.isEmpty() && !exhausted && examinedTo != null;
        }

        void fillUnlessEmpty(AtomicInteger budget) {
            while (buffer.isEmpty() && !exhausted && budget.get() > 0) {
                fetch(budget);
            }
        }

        void fetch(AtomicInteger budget) {
            if (exhausted) {
                return;
            }
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).keyConditionExpression(keyCondition)
                    .expressionAttributeValues(values).scanIndexForward(false).limit(pageSize);
            if (index != null) {
                q.indexName(index);
            }
            if (filter != null) {
                q.filterExpression(filter);
            }
            if (!names.isEmpty()) {
                q.expressionAttributeNames(names);
            }
            if (startKey != null) {
                q.exclusiveStartKey(startKey);
            }
            QueryResponse page = dynamo.query(q.build());
            budget.addAndGet(-Math.max(1, page.scannedCount() == null ? page.count() : page.scannedCount()));
            for (Map<String, AttributeValue> i : page.items()) {
                Attempt a = attemptFrom(workspaceId, i);
                if (!a.id().equals(skipId)) {
                    buffer.add(a);
                }
            }
            if (page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()) {
                startKey = page.lastEvaluatedKey();
                String position = str(startKey, sortKey);
                examinedTo = position.startsWith("att#") ? position.substring(4) : position;
            } else {
                exhausted = true;
            }
            // Later pages of a stream are needed when a filter is sparse or shards are uneven: read more at once.
            pageSize = Math.min(pageSize * 2, MAX_LOG_PAGE_ITEMS);
        }
    }

    // ---- recovery ---------------------------------------------------------------------------

    /** One by_endpoint Query over the attempt-id range of the window, oldest first; keeps the last per event. */
    @Override
    public EndpointWindow latestAttemptsToEndpoint(String workspaceId, String endpointId, Instant since, Instant until, int maxAttempts) {
        Map<String, LatestAttempt> latest = new LinkedHashMap<>();
        Map<String, AttributeValue> start = null;
        int read = 0;
        do {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName("by_endpoint")
                    .keyConditionExpression("gsi2pk = :pk AND gsi2sk BETWEEN :lo AND :hi")
                    .expressionAttributeValues(Map.of(":pk", s("ws#" + workspaceId + "#ep#" + endpointId),
                            ":lo", s(lowestAttemptId(since)), ":hi", s(highestAttemptId(until))))
                    .projectionExpression("event_id, gsi2sk, delivery_status")
                    .scanIndexForward(true);
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            QueryResponse page = dynamo.query(q.build());
            for (Map<String, AttributeValue> i : page.items()) {
                if (++read > maxAttempts) {
                    return new EndpointWindow(sortedByEvent(latest), false);
                }
                String eventId = str(i, "event_id");
                latest.put(eventId, new LatestAttempt(eventId, str(i, "gsi2sk"),
                        Attempt.DeliveryStatus.valueOf(str(i, "delivery_status").toUpperCase(Locale.ROOT))));
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new EndpointWindow(sortedByEvent(latest), true);
    }

    private static List<LatestAttempt> sortedByEvent(Map<String, LatestAttempt> latest) {
        return latest.values().stream().sorted(Comparator.comparing(LatestAttempt::eventId)).toList();
    }

    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    /** The smallest attempt id of this millisecond: Ids writes 48 bits of milliseconds, then 80 random bits. */
    static String lowestAttemptId(Instant at) {
        return "att_" + ulidTime(at) + "0000000000000000";
    }

    /** The largest attempt id of this millisecond. */
    static String highestAttemptId(Instant at) {
        return "att_" + ulidTime(at) + "ZZZZZZZZZZZZZZZZ";
    }

    private static String ulidTime(Instant at) {
        long millis;
        try {
            millis = Math.clamp(at.toEpochMilli(), 0L, (1L << 48) - 1);
        } catch (ArithmeticException overflow) {
            millis = at.isBefore(Instant.EPOCH) ? 0L : (1L << 48) - 1;
        }
        char[] out = new char[10];
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (millis & 31)];
            millis >>>= 5;
        }
        return new String(out);
    }

    // ---- idempotency ------------------------------------------------------------------------

    private static Map<String, AttributeValue> idemKey(String workspaceId, String keyHash) {
        return key("ws#" + workspaceId + "#idem#" + keyHash, "idem");
    }

    /**
     * A conditional PutItem takes a key that is absent or past its 24 hours. Otherwise one consistent
     * read tells the rest apart: another request (Conflict), done (Replay), running under its lock
     * (InProgress), or failed or abandoned (its lock lapsed), which a conditional update takes over
     * with the checkpoint that attempt left.
     */
    @Override
    public Claim claim(String workspaceId, String keyHash, String requestHash, String checkpoint) {
        Instant now = clock.instant();
        Map<String, AttributeValue> item = new HashMap<>(idemKey(workspaceId, keyHash));
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
            var existing = dynamo.getItem(r -> r.tableName(table).key(idemKey(workspaceId, keyHash)).consistentRead(true)).item();
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
            return resume(workspaceId, keyHash, requestHash, now);
        }
    }

    /** Takes over a released or abandoned record of the same request, unless another caller just did. */
    private Claim resume(String workspaceId, String keyHash, String requestHash, Instant now) {
        try {
            var updated = dynamo.updateItem(r -> r.tableName(table).key(idemKey(workspaceId, keyHash))
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
    public void complete(String workspaceId, String keyHash, int status, String body) {
        dynamo.updateItem(r -> r.tableName(table).key(idemKey(workspaceId, keyHash))
                .updateExpression("SET #state = :done, #status = :status, body = :body REMOVE locked_until, #checkpoint")
                .expressionAttributeNames(Map.of("#state", "state", "#status", "status", "#checkpoint", "checkpoint"))
                .expressionAttributeValues(Map.of(":done", s("done"), ":status", n(status), ":body", s(body))));
    }

    @Override
    public void release(String workspaceId, String keyHash, String checkpoint) {
        dynamo.updateItem(r -> r.tableName(table).key(idemKey(workspaceId, keyHash))
                .updateExpression("SET #state = :released, #checkpoint = :checkpoint REMOVE locked_until")
                .expressionAttributeNames(Map.of("#state", "state", "#checkpoint", "checkpoint"))
                .expressionAttributeValues(Map.of(":released", s("released"), ":checkpoint", s(checkpoint))));
    }
}
