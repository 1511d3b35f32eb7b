package dev.signet.core.aws;

import dev.signet.core.catalog.EventType;
import dev.signet.core.store.EventTypeStore;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.signet.core.aws.Attrs.bool;
import static dev.signet.core.aws.Attrs.flag;
import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;

/**
 * The event type catalog in the config table, one partition for the whole deployment, so listing it
 * is one Query and its items come back sorted by name:
 * <pre>
 *   catalog / type#{name}    description, schema and example (JSON text), validate, deprecated, updated_at
 * </pre>
 */
public final class DynamoEventTypeStore implements EventTypeStore {
    private static final String PARTITION = "catalog";
    private static final String TYPE = "type#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoEventTypeStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean put(EventType t) {
        Map<String, AttributeValue> item = new HashMap<>(key(PARTITION, TYPE + t.name()));
        item.put("name", s(t.name()));
        item.put("description", s(t.description()));
        if (t.schema() != null) {
            item.put("schema", s(t.schema()));
        }
        if (t.example() != null) {
            item.put("example", s(t.example()));
        }
        item.put("validate", bool(t.validate()));
        item.put("deprecated", bool(t.deprecated()));
        item.put("updated_at", s(t.updatedAt().toString()));
        var old = dynamo.putItem(r -> r.tableName(table).item(item).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old == null || old.isEmpty();
    }

    @Override
    public Optional<EventType> get(String name) {
        var i = dynamo.getItem(r -> r.tableName(table).key(key(PARTITION, TYPE + name)).consistentRead(true)).item();
        return i == null || i.isEmpty() ? Optional.empty() : Optional.of(from(i));
    }

    @Override
    public List<EventType> list() {
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :t)")
                .expressionAttributeValues(Map.of(":pk", s(PARTITION), ":t", s(TYPE)))
                .build();
        // The key condition already selects these; the filter keeps a canned answer (SnapStart priming) harmless.
        return dynamo.queryPaginator(q).items().stream().filter(i -> String.valueOf(str(i, "sk")).startsWith(TYPE))
                .map(DynamoEventTypeStore::from).toList();
    }

    @Override
    public boolean delete(String name) {
        var old = dynamo.deleteItem(r -> r.tableName(table).key(key(PARTITION, TYPE + name)).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }

    private static EventType from(Map<String, AttributeValue> i) {
        return new EventType(str(i, "name"), str(i, "description"), str(i, "schema"), str(i, "example"),
                flag(i, "validate"), flag(i, "deprecated"), Instant.parse(str(i, "updated_at")));
    }
}
