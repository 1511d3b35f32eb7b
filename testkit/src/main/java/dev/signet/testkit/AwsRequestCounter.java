package dev.signet.testkit;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what Signet asks of AWS, the way AWS bills it: an SDK {@link ExecutionInterceptor} attached
 * to the clients (see {@code AwsClients.forEmulators(..., interceptors)}). For every call it records
 * the service and operation; for SQS the billed requests (one per started 64 KiB of payload) and the
 * messages moved; for DynamoDB the on-demand capacity units, computed from the item sizes by
 * DynamoDB's published rules (the emulator reports no real ones): a write is 1 WRU per started KiB of
 * the item, plus, for every global secondary index that holds the item (it has the index's key
 * attributes), 1 WRU per started KiB of what the index copies of it: the table's and the index's keys
 * and the projected attributes (all of them, the listed ones, or none). A read is one RRU per started
 * 4 KiB of the items returned, half of that when eventually consistent. Failed calls count as well (a conditional
 * write that fails still consumes its capacity).
 *
 * <p>Used by the test that pins the cost model's request counts, and by {@code scripts/bench cost}.
 */
public final class AwsRequestCounter implements ExecutionInterceptor {
    /** SQS bills each started 64 KiB of a request's or response's payload as one request. */
    static final int SQS_CHUNK = 64 * 1024;

    /** A global secondary index as the counter bills it: what it copies of an item that has its keys. */
    private record Index(String name, Set<String> keys, ProjectionType projection, Set<String> projected) {
        /** The part of {@code item} the index stores, or null if the item has no entry in it. */
        Map<String, AttributeValue> entry(Map<String, AttributeValue> item) {
            if (!item.keySet().containsAll(keys)) {
                return null;
            }
            Map<String, AttributeValue> entry = new HashMap<>();
            item.forEach((name, value) -> {
                if (keys.contains(name) || projection == ProjectionType.ALL || projected.contains(name)) {
                    entry.put(name, value);
                }
            });
            return entry;
        }
    }

    private final Map<String, List<Index>> indexesByTable = new HashMap<>();
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    /**
     * @param tables the tables as created (local mode's {@code LocalResources.tables()}): their keys and
     *               their global secondary indexes with each one's projection
     */
    public AwsRequestCounter(List<CreateTableRequest> tables) {
        for (CreateTableRequest table : tables) {
            List<Index> indexes = new ArrayList<>();
            for (GlobalSecondaryIndex gsi : table.globalSecondaryIndexes()) {
                Set<String> keys = new HashSet<>();
                table.keySchema().forEach(k -> keys.add(k.attributeName()));
                gsi.keySchema().forEach(k -> keys.add(k.attributeName()));
                indexes.add(new Index(gsi.indexName(), Set.copyOf(keys), gsi.projection().projectionType(),
                        Set.copyOf(gsi.projection().nonKeyAttributes())));
            }
            indexesByTable.put(table.tableName(), List.copyOf(indexes));
        }
    }

    /** Everything counted so far: {@code "DynamoDB.PutItem" → calls}, plus the derived measures below. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long get(String name) {
        LongAdder a = counts.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Calls to one service ({@code "DynamoDB"}, {@code "SQS"}, {@code "Secrets Manager"}), all operations. */
    public long calls(String service) {
        return counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith(service + ".") && e.getKey().indexOf(':') < 0)
                .mapToLong(e -> e.getValue().sum()).sum();
    }

    /** DynamoDB write request units (×1, exact). */
    public long writeUnits() {
        return get("DynamoDB:WRU");
    }

    /** DynamoDB read request units (counted in halves; returned as a double). */
    public double readUnits() {
        return get("DynamoDB:RRU/2") / 2.0;
    }

    /** SQS requests as billed (64 KiB chunks), all operations. */
    public long sqsBilledRequests() {
        return get("SQS:billed");
    }

    public void reset() {
        counts.clear();
    }

    private void add(String key, long n) {
        counts.computeIfAbsent(key, k -> new LongAdder()).add(n);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), Optional.of(context.response()), attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(context.request(), context.response(), attributes);
        add(service(attributes) + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + ":failed", 1);
    }

    private static String service(ExecutionAttributes attributes) {
        String s = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        return switch (s) {
            case "Sqs" -> "SQS";
            case "DynamoDb" -> "DynamoDB";
            case "SecretsManager" -> "Secrets Manager";
            default -> s;
        };
    }

    private void record(SdkRequest request, Optional<SdkResponse> response, ExecutionAttributes attributes) {
        String service = service(attributes);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        add(service + "." + operation, 1);
        switch (service) {
            case "DynamoDB" -> dynamo(request, response.orElse(null));
            case "SQS" -> sqs(operation, request, response.orElse(null));
            default -> {
                // Secrets Manager: billed per call
            }
        }
    }

    // ---- SQS ------------------------------------------------------------------------------------

    private void sqs(String operation, SdkRequest request, SdkResponse response) {
        long bytes = 0;
        if (request instanceof SendMessageBatchRequest r) {
            for (SendMessageBatchRequestEntry e : r.entries()) {
                bytes += utf8(e.messageBody());
            }
            add("SQS:messages sent", r.entries().size());
        } else if (request instanceof software.amazon.awssdk.services.sqs.model.SendMessageRequest r) {
            bytes += utf8(r.messageBody());
            add("SQS:messages sent", 1);
        }
        if (request instanceof DeleteMessageBatchRequest r) {
            add("SQS:messages deleted", r.entries().size());
        } else if (request instanceof DeleteMessageRequest) {
            add("SQS:messages deleted", 1);
        }
        if (response instanceof ReceiveMessageResponse r) {
            if (r.messages().isEmpty()) {
                add("SQS:empty receives", 1);
            }
            for (var m : r.messages()) {
                bytes += utf8(m.body());
            }
            add("SQS:messages received", r.messages().size());
        }
        add("SQS:billed", Math.max(1, (bytes + SQS_CHUNK - 1) / SQS_CHUNK));
        if ("ReceiveMessage".equals(operation) && response instanceof ReceiveMessageResponse r && !r.messages().isEmpty()) {
            add("SQS:billed non-empty receives", Math.max(1, (bytes + SQS_CHUNK - 1) / SQS_CHUNK));
        }
    }

    // ---- DynamoDB -------------------------------------------------------------------------------

    private void dynamo(SdkRequest request, SdkResponse response) {
        switch (request) {
            case PutItemRequest r -> write(r.tableName(), r.item());
            case BatchWriteItemRequest r -> r.requestItems().forEach((table, writes) -> {
                for (WriteRequest w : writes) {
                    if (w.putRequest() != null) {
                        write(table, w.putRequest().item());
                    } else {
                        // A delete: 1 WRU for a small item, and one for each index entry it removes.
                        addWrite(table, 1, 1 + indexesByTable.getOrDefault(table, List.of()).size());
                    }
                }
            });
            case GetItemRequest r -> {
                long size = response instanceof GetItemResponse g && g.hasItem() ? itemSize(g.item()) : 0;
                read(r.tableName(), size, Boolean.TRUE.equals(r.consistentRead()));
            }
            case QueryRequest r -> {
                long size = 0;
                if (response instanceof QueryResponse q) {
                    for (Map<String, AttributeValue> i : q.items()) {
                        size += itemSize(i);
                    }
                }
                read(r.indexName() == null ? r.tableName() : r.tableName() + "/" + r.indexName(), size,
                        Boolean.TRUE.equals(r.consistentRead()));
            }
            default -> {
                // UpdateItem, DeleteItem, TransactWriteItems: at least one WRU per item; Signet makes
                // them only on rare paths (410, idempotency keys, management), counted as calls.
                if (request.getClass().getSimpleName().startsWith("UpdateItem")
                        || request.getClass().getSimpleName().startsWith("DeleteItem")) {
                    add("DynamoDB:WRU", 1);
                }
                // By table too: the delivery function updates the config table (auto-disable) and the
                // events table (endpoint statistics, one small item without index keys: 1 WRU).
                if (request instanceof software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest u) {
                    add("DynamoDB:updates " + u.tableName(), 1);
                }
            }
        }
    }

    private void write(String table, Map<String, AttributeValue> item) {
        long units = writeUnits(item);
        long total = units;
        for (Index index : indexesByTable.getOrDefault(table, List.of())) {
            Map<String, AttributeValue> entry = index.entry(item);
            if (entry != null) {
                long indexUnits = writeUnits(entry);
                add("DynamoDB:WRU " + table + "/" + index.name(), indexUnits);
                total += indexUnits;
            }
        }
        addWrite(table, units, total);
    }

    private static long writeUnits(Map<String, AttributeValue> item) {
        return Math.max(1, (itemSize(item) + 1023) / 1024);
    }

    private void addWrite(String table, long baseUnits, long totalUnits) {
        add("DynamoDB:items written", 1);
        add("DynamoDB:WRU", totalUnits);
        add("DynamoDB:WRU " + table, totalUnits);
        add("DynamoDB:WRU " + table + " (base table)", baseUnits);
    }

    private void read(String table, long bytes, boolean consistent) {
        long units = Math.max(1, (bytes + 4095) / 4096);
        long halves = consistent ? units * 2 : units;
        add("DynamoDB:RRU/2", halves);
    }

    /** DynamoDB's item size: attribute names plus values, per its documented rules. */
    static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    private static long valueSize(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            String digits = v.n().replaceAll("[^0-9]", "").replaceAll("^0+", "").replaceAll("0+$", "");
            return (digits.length() + 1) / 2 + 1;
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        if (v.hasL()) {
            long s = 3;
            for (AttributeValue x : v.l()) {
                s += 1 + valueSize(x);
            }
            return s;
        }
        if (v.hasM()) {
            long s = 3;
            for (Map.Entry<String, AttributeValue> x : v.m().entrySet()) {
                s += 1 + utf8(x.getKey()) + valueSize(x.getValue());
            }
            return s;
        }
        if (v.hasSs()) {
            return v.ss().stream().mapToLong(AwsRequestCounter::utf8).sum();
        }
        if (v.hasNs()) {
            return v.ns().stream().mapToLong(n -> (n.length() + 1) / 2 + 1).sum();
        }
        return 1;
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
