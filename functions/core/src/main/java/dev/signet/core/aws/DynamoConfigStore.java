package dev.signet.core.aws;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.store.ConfigStore;
import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.signet.core.aws.Attrs.bool;
import static dev.signet.core.aws.Attrs.key;
import static dev.signet.core.aws.Attrs.s;
import static dev.signet.core.aws.Attrs.str;

/**
 * The config table: workspaces, credential hashes, sessions and endpoints. Keys (see ARCHITECTURE.md):
 * <pre>
 *   ws#{ws}        / workspace     the workspace and its current ingest key hash
 *   ws#{ws}        / ep#{ep}       an endpoint (one Query lists a workspace's endpoints)
 *   ikey#{sha256}  / ikey          ingest key hash -> workspace
 *   sess#{sha256}  / session       session token hash -> workspace, expiry (TTL)
 * </pre>
 */
public final class DynamoConfigStore implements ConfigStore {
    private static final String WORKSPACE = "workspace";
    private static final String INGEST_KEY = "ikey";
    private static final String SESSION = "session";

    private final DynamoDbClient dynamo;
    private final EndpointSlotLeases slots;
    private final String table;

    public DynamoConfigStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.slots = new EndpointSlotLeases(dynamo, table);
    }

    private static String wsKey(String workspaceId) {
        return "ws#" + workspaceId;
    }

    private static String ingestKey(String hash) {
        return "ikey#" + hash;
    }

    // ---- workspaces -------------------------------------------------------------------------

    @Override
    public boolean create(Workspace w, String ingestKeyHash) {
        Map<String, AttributeValue> item = new HashMap<>(key(wsKey(w.id()), WORKSPACE));
        item.put("name", s(w.name()));
        item.put("created_at", s(w.createdAt().toString()));
        item.put("ingest_key_hash", s(ingestKeyHash));
        Map<String, AttributeValue> keyItem = new HashMap<>(key(ingestKey(ingestKeyHash), INGEST_KEY));
        keyItem.put("workspace_id", s(w.id()));
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(keyItem)
                            .conditionExpression("attribute_not_exists(pk)").build()).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Optional<Workspace> get(String workspaceId) {
        return workspaceItem(workspaceId).map(i -> new Workspace(workspaceId, str(i, "name"), Instant.parse(str(i, "created_at"))));
    }

    private Optional<Map<String, AttributeValue>> workspaceItem(String workspaceId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(wsKey(workspaceId), WORKSPACE)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    @Override
    public Optional<String> workspaceForIngestKey(String ingestKeyHash) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(ingestKey(ingestKeyHash), INGEST_KEY))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.ofNullable(str(item, "workspace_id"));
    }

    @Override
    public boolean replaceIngestKey(String workspaceId, String newHash) {
        Optional<Map<String, AttributeValue>> current = workspaceItem(workspaceId);
        if (current.isEmpty()) {
            return false;
        }
        String oldHash = str(current.get(), "ingest_key_hash");
        Map<String, AttributeValue> keyItem = new HashMap<>(key(ingestKey(newHash), INGEST_KEY));
        keyItem.put("workspace_id", s(workspaceId));
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(wsKey(workspaceId), WORKSPACE))
                .updateExpression("SET ingest_key_hash = :new")
                .conditionExpression("ingest_key_hash = :old")
                .expressionAttributeValues(Map.of(":new", s(newHash), ":old", s(oldHash))).build()).build());
        items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(keyItem)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(key(ingestKey(oldHash), INGEST_KEY)).build()).build());
        dynamo.transactWriteItems(r -> r.transactItems(items));
        return true;
    }

    @Override
    public void createSession(String tokenHash, Session session) {
        Map<String, AttributeValue> item = new HashMap<>(key("sess#" + tokenHash, SESSION));
        item.put("workspace_id", s(session.workspaceId()));
        item.put("expires_at", s(session.expiresAt().toString()));
        item.put("ttl", Attrs.n(session.expiresAt().getEpochSecond()));
        dynamo.putItem(r -> r.tableName(table).item(item));
    }

    @Override
    public Optional<Session> session(String tokenHash) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key("sess#" + tokenHash, SESSION))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Session(str(item, "workspace_id"), Instant.parse(str(item, "expires_at"))));
    }

    @Override
    public void delete(String workspaceId) {
        workspaceItem(workspaceId).ifPresent(item -> {
            String hash = str(item, "ingest_key_hash");
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key(wsKey(workspaceId), WORKSPACE)).build()).build(),
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key(ingestKey(hash), INGEST_KEY)).build()).build()));
        });
    }

    // ---- endpoints --------------------------------------------------------------------------

    @Override
    public void create(Endpoint e) {
        dynamo.putItem(r -> r.tableName(table).item(toItem(e)).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<Endpoint> get(String workspaceId, String endpointId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<Endpoint> list(String workspaceId) {
        QueryRequest q = QueryRequest.builder().tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :ep)")
                .expressionAttributeValues(Map.of(":pk", s(wsKey(workspaceId)), ":ep", s("ep#")))
                .build();
        return dynamo.queryPaginator(q).items().stream().map(DynamoConfigStore::fromItem).toList();
    }

    @Override
    public boolean replace(Endpoint expected, Endpoint updated) {
        if (!expected.workspaceId().equals(updated.workspaceId()) || !expected.id().equals(updated.id())) {
            throw new IllegalArgumentException("replace keeps the endpoint's workspace and id");
        }
        try {
            dynamo.putItem(r -> r.tableName(table).item(toItem(updated))
                    .conditionExpression("updated_at = :u AND enabled = :e")
                    .expressionAttributeValues(Map.of(":u", s(expected.updatedAt().toString()), ":e", bool(expected.enabled()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean setEnabled(String workspaceId, String endpointId, boolean enabled, String reason, Instant at) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":e", bool(enabled));
        values.put(":u", s(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())); // API timestamps are whole seconds
        String expression = "SET enabled = :e, updated_at = :u";
        if (reason == null) {
            // Enabling again starts a new failing streak (auto-disable counts from the next failure).
            expression += " REMOVE disabled_reason, failing_since";
        } else {
            values.put(":r", s(reason));
            expression += ", disabled_reason = :r";
        }
        String update = expression;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId))
                    .updateExpression(update).conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean disableIfEnabled(String workspaceId, String endpointId, String reason, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId))
                    .updateExpression("SET enabled = :off, updated_at = :u, disabled_reason = :r")
                    .conditionExpression("attribute_exists(pk) AND enabled = :on")
                    .expressionAttributeValues(Map.of(":off", bool(false), ":on", bool(true), ":r", s(reason),
                            ":u", s(at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Instant failingSince(String workspaceId, String endpointId, Instant at) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId))
                    .updateExpression("SET failing_since = :t")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(failing_since)")
                    .expressionAttributeValues(Map.of(":t", s(at.toString()))));
            return at;
        } catch (ConditionalCheckFailedException e) {
            // Already failing (keep the first time), or deleted: one read says which.
            var item = dynamo.getItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId))
                    .projectionExpression("failing_since").consistentRead(true)).item();
            String since = item == null ? null : str(item, "failing_since");
            return since == null ? null : Instant.parse(since);
        }
    }

    @Override
    public void recovered(String workspaceId, String endpointId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId))
                    .updateExpression("REMOVE failing_since").conditionExpression("attribute_exists(failing_since)"));
        } catch (ConditionalCheckFailedException e) {
            // no streak to end
        }
    }

    @Override
    public void delete(String workspaceId, String endpointId) {
        dynamo.deleteItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId)));
    }

    private Map<String, AttributeValue> toItem(Endpoint e) {
        Map<String, AttributeValue> item = new HashMap<>(key(wsKey(e.workspaceId()), "ep#" + e.id()));
        item.put("id", s(e.id()));
        item.put("url", s(e.url()));
        item.put("description", s(e.description()));
        item.put("method", s(e.method()));
        item.put("payload_format", s(e.payloadFormat().wire()));
        item.put("event_types", Attrs.list(e.eventTypes()));
        item.put("headers", Attrs.map(e.headers()));
        item.put("auth_type", s(e.authType().wire()));
        item.put("timeout_seconds", Attrs.n(e.timeoutSeconds()));
        item.put("enabled", bool(e.enabled()));
        if (e.disabledReason() != null) {
            item.put("disabled_reason", s(e.disabledReason()));
        }
        item.put("secret_hint", s(e.secretHint()));
        item.put("secret_id", s(e.secretId()));
        item.put("created_at", s(e.createdAt().toString()));
        item.put("updated_at", s(e.updatedAt().toString()));
        return item;
    }

    private static Endpoint fromItem(Map<String, AttributeValue> i) {
        return new Endpoint(
                str(i, "id"),
                str(i, "pk").substring("ws#".length()),
                str(i, "url"),
                str(i, "description"),
                str(i, "method"),
                Endpoint.PayloadFormat.valueOf(str(i, "payload_format").toUpperCase(java.util.Locale.ROOT)),
                Attrs.strings(i, "event_types"),
                Attrs.stringMap(i, "headers"),
                Endpoint.AuthType.valueOf(str(i, "auth_type").toUpperCase(java.util.Locale.ROOT)),
                (int) Attrs.num(i, "timeout_seconds", Endpoint.DEFAULT_TIMEOUT_SECONDS),
                Attrs.flag(i, "enabled"),
                str(i, "disabled_reason"),
                str(i, "secret_hint"),
                str(i, "secret_id"),
                Instant.parse(str(i, "created_at")),
                Instant.parse(str(i, "updated_at")));
    }

    @Override
    public Slot tryTake(String workspaceId, String endpointId, int slots, java.time.Duration hold, Instant now) {
        return this.slots.tryTake(workspaceId, endpointId, slots, hold, now);
    }

    @Override
    public void release(Slot slot) {
        this.slots.release(slot);
    }

    @Override
    public Pace pace(String workspaceId, String endpointId) {
        return slots.pace(workspaceId, endpointId);
    }

    @Override
    public void recordPace(String workspaceId, String endpointId, Pace pace, Instant now) {
        slots.recordPace(workspaceId, endpointId, pace, now);
    }
}
