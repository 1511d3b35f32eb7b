package dev.signet.core.aws;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.event.Progress;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.n;
import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;

/**
 * The events table's layout, shared by the adapters that write it ({@link DynamoEventStore},
 * {@link DynamoIdempotencyStore}) and the one that reads the delivery log ({@link DynamoDeliveryLog}):
 * <pre>
 *   {scope}#evt#{evt}    / event        the event, its raw payload (deflated when smaller: {@link StoredPayload}),
 *                                       the endpoints it went to (and missed)
 *   {scope}#evt#{evt}    / att#{att}    an attempt (one Query gives an event's whole history)
 *   {scope}#idem#{hash}  / idem         an Idempotency-Key's stored response (24 h)
 * GSI by_workspace:  gsi1pk = {scope}#s{0..3},        gsi1sk = att id (time-ordered)
 * GSI by_endpoint:   gsi2pk = {scope}#ep#{ep}#s{0..3}, gsi2sk = att id
 * GSI missed:        gsi3pk = {scope}#missed#s{0..3},  gsi3sk = evt id; only events that a disabled endpoint missed
 * </pre>
 * where {@code scope} is {@code ws#{ws}#g{generation}} ({@code ws#{ws}} for a workspace created before
 * generations): a workspace created again under the same id has another generation and so reaches no
 * key of the deleted one. The log indexes are write-sharded and project only
 * {@link #LOG_INDEX_ATTRIBUTES}; the missed index only {@link #MISSED_INDEX_ATTRIBUTES}. ARCHITECTURE.md
 * ("Tables") says how each request reads the table.
 */
public final class EventsTable {
    public static final String BY_WORKSPACE = "by_workspace";
    public static final String BY_ENDPOINT = "by_endpoint";
    /**
     * Shards of a workspace's attempt log. One partition takes about 1,000 write units a second, and
     * an attempt's index entry is one (see {@link #LOG_INDEX_ATTRIBUTES}), so one busy workspace's
     * attempts spread over 4 partitions take about 4,000 a second before DynamoDB throttles the
     * attempt writes themselves (a throttled index write fails the table write). Attempt ids grow
     * with time, so DynamoDB cannot split a hot partition by sort key: only more keys spread the load.
     */
    public static final int WORKSPACE_SHARDS = 4;
    /**
     * Shards of one endpoint's attempt log, for the same reason: an endpoint busier than one partition
     * allows. As many as a workspace has, since an endpoint's attempts are a part of its workspace's.
     */
    public static final int ENDPOINT_SHARDS = WORKSPACE_SHARDS;
    /** Sparse: only events that matched a disabled endpoint have its key, so it costs nothing in the normal case. */
    public static final String MISSED = "missed";
    /** Shards of a workspace's missed events (an auto-disabled endpoint can put every event of a busy workspace there). */
    public static final int MISSED_SHARDS = WORKSPACE_SHARDS;
    /** What the missed index copies from an event besides the keys: whom it missed, for recover's filter. */
    public static final List<String> MISSED_INDEX_ATTRIBUTES = List.of("missed_endpoint_ids");
    /**
     * What both log indexes copy from an attempt besides the keys: what a page of the log shows, and
     * what recover reads ({@code delivery_status}). Not the stored response body (up to 4 KiB): copied
     * into two indexes it made a failed attempt cost about 15 write units instead of 7; a page reads the
     * bodies from the table instead ({@link DynamoDeliveryLog}). template.yaml and local mode's tables
     * use this list; a projection can only change by rebuilding the index.
     */
    public static final List<String> LOG_INDEX_ATTRIBUTES = List.of("id", "event_id", "endpoint_id", "attempt", "status",
            "response_status", "error", "duration_ms", "created_at", "next_attempt_at", "delivery_status", "url", "trigger");
    static final String ATTEMPT_SK = "att#";

    private EventsTable() {
    }

    /**
     * The prefix of every key of one generation of a workspace. A workspace id cannot hold {@code #},
     * and what follows {@code ws#{ws}#} is {@code g…} here and {@code evt#}, {@code idem#}, {@code s…},
     * {@code ep#} or {@code missed#} otherwise, so no two scopes share a key.
     */
    static String scope(String workspaceId, String generation) {
        return generation.isEmpty() ? "ws#" + workspaceId : "ws#" + workspaceId + "#g" + generation;
    }

    static String eventKey(String workspaceId, String generation, String eventId) {
        return scope(workspaceId, generation) + "#evt#" + eventId;
    }

    static String idempotencyKey(String workspaceId, String generation, String keyHash) {
        return scope(workspaceId, generation) + "#idem#" + keyHash;
    }

    static String workspaceShard(String workspaceId, String generation, int shard) {
        return scope(workspaceId, generation) + "#s" + shard;
    }

    static String endpointShard(String workspaceId, String generation, String endpointId, int shard) {
        return scope(workspaceId, generation) + "#ep#" + endpointId + "#s" + shard;
    }

    static String missedShard(String workspaceId, String generation, int shard) {
        return scope(workspaceId, generation) + "#missed#s" + shard;
    }

    /** The shard an attempt's index entries go to: fixed by its id, spread evenly by its random part. */
    static int shardOf(String attemptId, int shards) {
        return Math.floorMod(attemptId.hashCode(), shards);
    }

    static Map<String, AttributeValue> eventItem(Event e, long ttl) {
        Map<String, AttributeValue> item = new HashMap<>(key(eventKey(e.workspaceId(), e.generation(), e.id()), "event"));
        item.put("type", s(e.type()));
        item.put("created_at", s(e.createdAt().toString()));
        if (e.resource() != null) {
            item.put("resource", s(e.resource()));
        }
        if (e.resourceId() != null) {
            item.put("resource_id", s(e.resourceId()));
        }
        StoredPayload.put(item, e.payload());
        item.put("endpoint_ids", Attrs.list(e.endpointIds()));
        if (!e.missedEndpointIds().isEmpty()) {
            // Only such events are in the missed index: the normal case writes nothing more.
            item.put("missed_endpoint_ids", Attrs.list(e.missedEndpointIds()));
            item.put("gsi3pk", s(missedShard(e.workspaceId(), e.generation(), shardOf(e.id(), MISSED_SHARDS))));
            item.put("gsi3sk", s(e.id()));
        }
        item.put("ttl", n(ttl));
        return item;
    }

    static Event eventFrom(String workspaceId, String generation, String eventId, Map<String, AttributeValue> i) {
        return new Event(eventId, workspaceId, generation, str(i, "type"), Instant.parse(str(i, "created_at")),
                str(i, "resource"), str(i, "resource_id"), StoredPayload.from(i), Attrs.strings(i, "endpoint_ids"),
                Attrs.strings(i, "missed_endpoint_ids"));
    }

    static Map<String, AttributeValue> attemptItem(Attempt a, long ttl) {
        Map<String, AttributeValue> item = new HashMap<>(key(eventKey(a.workspaceId(), a.generation(), a.eventId()), ATTEMPT_SK + a.id()));
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
        if (a.url() != null) {
            item.put("url", s(a.url()));
        }
        if (a.trigger() != null) {
            item.put("trigger", s(a.trigger().wire()));
        }
        item.put("gsi1pk", s(workspaceShard(a.workspaceId(), a.generation(), shardOf(a.id(), WORKSPACE_SHARDS))));
        item.put("gsi1sk", s(a.id()));
        item.put("gsi2pk", s(endpointShard(a.workspaceId(), a.generation(), a.endpointId(), shardOf(a.id(), ENDPOINT_SHARDS))));
        item.put("gsi2sk", s(a.id()));
        item.put("ttl", n(ttl));
        return item;
    }

    static Attempt attemptFrom(String workspaceId, String generation, Map<String, AttributeValue> i) {
        String next = str(i, "next_attempt_at");
        String trigger = str(i, "trigger");
        return new Attempt(str(i, "id"), workspaceId, generation, str(i, "event_id"), str(i, "endpoint_id"),
                (int) Attrs.num(i, "attempt", 0),
                Attempt.Status.valueOf(str(i, "status").toUpperCase(Locale.ROOT)),
                Attrs.optInt(i, "response_status"), str(i, "response_body"), str(i, "error"),
                Attrs.num(i, "duration_ms", 0), Instant.parse(str(i, "created_at")),
                next == null ? null : Instant.parse(next), deliveryStatus(i), str(i, "url"),
                trigger == null ? null : Progress.Trigger.fromWire(trigger));
    }

    /** The attempt with the response body read from its table item (the indexes do not hold it). */
    static Attempt withBody(Attempt a, String responseBody) {
        return new Attempt(a.id(), a.workspaceId(), a.generation(), a.eventId(), a.endpointId(), a.attempt(), a.status(), a.responseStatus(),
                responseBody, a.error(), a.durationMs(), a.createdAt(), a.nextAttemptAt(), a.deliveryStatus(), a.url(), a.trigger());
    }

    static Map<String, AttributeValue> attemptKey(Attempt a) {
        return key(eventKey(a.workspaceId(), a.generation(), a.eventId()), ATTEMPT_SK + a.id());
    }

    static Attempt.DeliveryStatus deliveryStatus(Map<String, AttributeValue> i) {
        return Attempt.DeliveryStatus.valueOf(str(i, "delivery_status").toUpperCase(Locale.ROOT));
    }
}
