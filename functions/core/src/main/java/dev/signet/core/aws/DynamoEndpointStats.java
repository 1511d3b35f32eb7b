package dev.signet.core.aws;

import dev.signet.core.stats.EndpointHour;
import dev.signet.core.stats.HourlyCounts;
import dev.signet.core.store.EndpointStatsStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.n;
import static dev.signet.core.aws.Attrs.num;
import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;

/**
 * Endpoint statistics in the events table, one small item per endpoint and hour, expiring 8 days
 * after its hour (the longest period shown is 7 days):
 * <pre>
 *   ws#{ws}#ep#{ep}#stats / hour#{2026-12-01T13:00:00Z}   succeeded, failed, dead_lettered, duration_ms_sum, duration_count
 * </pre>
 * Written with UpdateItem ADD, so concurrent invocations add up without reading; the item carries no
 * index key, so a write is 1 WRU. Endpoint ids are never reused, so a workspace created again under
 * the same id never sees these counters.
 */
public final class DynamoEndpointStats implements EndpointStatsStore {
    static final Duration KEEP = Duration.ofDays(8);
    private static final String HOUR = "hour#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoEndpointStats(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String statsKey(String workspaceId, String endpointId) {
        return "ws#" + workspaceId + "#ep#" + endpointId + "#stats";
    }

    @Override
    public void add(EndpointHour h, HourlyCounts c) {
        dynamo.updateItem(r -> r.tableName(table).key(key(statsKey(h.workspaceId(), h.endpointId()), HOUR + h.hour()))
                .updateExpression("ADD succeeded :s, failed :f, dead_lettered :d, duration_ms_sum :ds, duration_count :dc"
                        + " SET #ttl = if_not_exists(#ttl, :ttl)")
                .expressionAttributeNames(Map.of("#ttl", "ttl"))
                .expressionAttributeValues(Map.of(":s", n(c.succeeded()), ":f", n(c.failed()), ":d", n(c.deadLettered()),
                        ":ds", n(c.durationMsSum()), ":dc", n(c.durationCount()),
                        ":ttl", n(h.hour().plus(KEEP).getEpochSecond()))));
    }

    @Override
    public Map<Instant, HourlyCounts> hours(String workspaceId, String endpointId, Instant from, Instant to) {
        QueryRequest q = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":pk", s(statsKey(workspaceId, endpointId)),
                        ":from", s(HOUR + from), ":to", s(HOUR + to.minusSeconds(1))))
                .build();
        Map<Instant, HourlyCounts> out = new LinkedHashMap<>();
        for (Map<String, AttributeValue> i : dynamo.queryPaginator(q).items()) {
            Instant hour = Instant.parse(str(i, "sk").substring(HOUR.length()));
            out.put(hour, new HourlyCounts(num(i, "succeeded", 0), num(i, "failed", 0), num(i, "dead_lettered", 0),
                    num(i, "duration_ms_sum", 0), num(i, "duration_count", 0)));
        }
        return out;
    }
}
