package dev.signet.core.aws;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.store.ConfigStore;
import dev.signet.core.workspace.IngestKeyOwner;
import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
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
 *   ws#{ws}        / workspace     the workspace: its generation, current ingest key hash, session epoch, endpoint count
 *   ws#{ws}        / ep#{ep}       an endpoint, its credentials sealed in it (one Query lists a workspace's endpoints)
 *   wslist         / {generation}  the listing entry of a workspace (generations are ULIDs: oldest first)
 *   ikey#{sha256}  / ikey          ingest key hash -> workspace and generation
 *   sess#{sha256}  / session       session token hash -> workspace, generation, epoch, expiry (TTL)
 * </pre>
 * Every read of a credential or a workspace is strongly consistent; every change to one is a single
 * conditional write or transaction.
 */
public final class DynamoConfigStore implements ConfigStore {
    private static final String WORKSPACE = "workspace";
    private static final String INGEST_KEY = "ikey";
    private static final String SESSION = "session";
    /** An endpoint item's sealed credentials ({@code <key id>.<base64url>}, see CredentialVault). */
    public static final String CREDENTIALS = "credentials";
    /** The one partition of the workspace listing: workspaces are created rarely, so one partition carries it. */
    static final String LISTING = "wslist";

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
        item.put("generation", s(w.generation()));
        item.put("session_epoch", Attrs.n(w.sessionEpoch()));
        item.put("endpoint_count", Attrs.n(0));
        Map<String, AttributeValue> keyItem = new HashMap<>(key(ingestKey(ingestKeyHash), INGEST_KEY));
        keyItem.put("workspace_id", s(w.id()));
        keyItem.put("generation", s(w.generation()));
        Map<String, AttributeValue> listed = new HashMap<>(key(LISTING, w.generation()));
        listed.put("workspace_id", s(w.id()));
        listed.put("name", s(w.name()));
        listed.put("created_at", s(w.createdAt().toString()));
        return transactIfConditionsHold(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(keyItem)
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(listed)
                        .conditionExpression("attribute_not_exists(pk)").build()).build()));
    }

    @Override
    public Optional<Workspace> get(String workspaceId) {
        return workspaceItem(workspaceId).map(i -> workspaceFrom(workspaceId, i));
    }

    private static Workspace workspaceFrom(String workspaceId, Map<String, AttributeValue> i) {
        String generation = str(i, "generation");
        return new Workspace(workspaceId, str(i, "name"), Instant.parse(str(i, "created_at")),
                generation == null ? Workspace.NO_GENERATION : generation, Attrs.num(i, "session_epoch", 0));
    }

    private Optional<Map<String, AttributeValue>> workspaceItem(String workspaceId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(wsKey(workspaceId), WORKSPACE)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /**
     * One Query of the listing partition, oldest first, continuing after the generation {@code after};
     * one item more than asked tells whether another page follows.
     */
    @Override
    public WorkspacePage list(String after, int limit) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression(after == null ? "pk = :pk" : "pk = :pk AND sk > :after")
                .expressionAttributeValues(after == null ? Map.of(":pk", s(LISTING)) : Map.of(":pk", s(LISTING), ":after", s(after)))
                .limit(limit + 1);
        List<Workspace> workspaces = new ArrayList<>();
        for (Map<String, AttributeValue> i : dynamo.query(q.build()).items()) {
            workspaces.add(new Workspace(str(i, "workspace_id"), str(i, "name"), Instant.parse(str(i, "created_at")), str(i, "sk"), 0));
        }
        boolean more = workspaces.size() > limit;
        List<Workspace> page = more ? workspaces.subList(0, limit) : workspaces;
        return new WorkspacePage(page, more ? page.getLast().generation() : null);
    }

    @Override
    public Optional<IngestKeyOwner> ingestKeyOwner(String ingestKeyHash) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(ingestKey(ingestKeyHash), INGEST_KEY)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || str(item, "workspace_id") == null) {
            return Optional.empty();
        }
        String generation = str(item, "generation");
        return Optional.of(new IngestKeyOwner(str(item, "workspace_id"), generation == null ? Workspace.NO_GENERATION : generation));
    }

    @Override
    public boolean replaceIngestKey(String workspaceId, String newHash) {
        Optional<Map<String, AttributeValue>> current = workspaceItem(workspaceId);
        if (current.isEmpty()) {
            return false;
        }
        String oldHash = str(current.get(), "ingest_key_hash");
        Workspace w = workspaceFrom(workspaceId, current.get());
        Map<String, AttributeValue> keyItem = new HashMap<>(key(ingestKey(newHash), INGEST_KEY));
        keyItem.put("workspace_id", s(workspaceId));
        keyItem.put("generation", s(w.generation()));
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

    /**
     * The session is written together with a check that its workspace still has the session's
     * generation and epoch, so a session minted while its workspace is deleted or its sessions are
     * revoked is never stored.
     */
    @Override
    public boolean createSession(String tokenHash, Session session) {
        Map<String, AttributeValue> item = new HashMap<>(key("sess#" + tokenHash, SESSION));
        item.put("workspace_id", s(session.workspaceId()));
        item.put("generation", s(session.generation()));
        item.put("epoch", Attrs.n(session.epoch()));
        item.put("expires_at", s(session.expiresAt().toString()));
        item.put("ttl", Attrs.n(session.expiresAt().getEpochSecond()));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":e", Attrs.n(session.epoch()));
        String condition = generationCondition(session.generation(), values)
                + (session.epoch() == 0 ? " AND (attribute_not_exists(session_epoch) OR session_epoch = :e)" : " AND session_epoch = :e");
        return transactIfConditionsHold(List.of(
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName(table)
                        .key(key(wsKey(session.workspaceId()), WORKSPACE)).conditionExpression(condition)
                        .expressionAttributeValues(values).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item).build()).build()));
    }

    /** Writes the items in one transaction; false if a condition did not hold (then nothing was written). */
    private boolean transactIfConditionsHold(List<TransactWriteItem> items) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(items));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(DynamoConfigStore::failedCondition)) {
                return false;
            }
            throw e;
        }
    }

    /** The condition that the workspace item is the given generation (adds {@code :g} to {@code values}). */
    private static String generationCondition(String generation, Map<String, AttributeValue> values) {
        if (generation.isEmpty()) {
            return "attribute_exists(pk) AND attribute_not_exists(generation)";
        }
        values.put(":g", s(generation));
        return "generation = :g";
    }

    @Override
    public Optional<Session> session(String tokenHash) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key("sess#" + tokenHash, SESSION)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String generation = str(item, "generation");
        return Optional.of(new Session(str(item, "workspace_id"), generation == null ? Workspace.NO_GENERATION : generation,
                Attrs.num(item, "epoch", 0), Instant.parse(str(item, "expires_at"))));
    }

    @Override
    public boolean revokeSessions(String workspaceId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(wsKey(workspaceId), WORKSPACE))
                    .updateExpression("ADD session_epoch :one").conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":one", Attrs.n(1))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean deleteWorkspace(String workspaceId, String generation) {
        Optional<Map<String, AttributeValue>> current = workspaceItem(workspaceId);
        if (current.isEmpty()) {
            return false;
        }
        String hash = str(current.get(), "ingest_key_hash");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":h", s(hash));
        values.put(":zero", Attrs.n(0));
        String condition = generationCondition(generation, values)
                + " AND ingest_key_hash = :h AND (attribute_not_exists(endpoint_count) OR endpoint_count = :zero)";
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key(wsKey(workspaceId), WORKSPACE))
                .conditionExpression(condition).expressionAttributeValues(values).build()).build());
        items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key(ingestKey(hash), INGEST_KEY)).build()).build());
        if (!generation.isEmpty()) {
            items.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key(LISTING, generation)).build()).build());
        }
        return transactIfConditionsHold(items);
    }

    // ---- endpoints --------------------------------------------------------------------------

    /**
     * The endpoint and its workspace's count in one transaction: the count's condition holds the limit
     * under any number of concurrent creates. A workspace written before the count existed gets it
     * first, from one consistent count of its endpoints.
     */
    @Override
    public Creation create(Endpoint e, String generation, int limit) {
        for (int tries = 0; ; tries++) {
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":one", Attrs.n(1));
            values.put(":limit", Attrs.n(limit));
            String condition = generationCondition(generation, values) + " AND endpoint_count < :limit";
            try {
                dynamo.transactWriteItems(r -> r.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(toItem(e))
                                .conditionExpression("attribute_not_exists(pk)").build()).build(),
                        TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(wsKey(e.workspaceId()), WORKSPACE))
                                .updateExpression("SET endpoint_count = endpoint_count + :one")
                                .conditionExpression(condition).expressionAttributeValues(values).build()).build()));
                return Creation.CREATED;
            } catch (TransactionCanceledException cancelled) {
                if (cancelled.cancellationReasons().stream().noneMatch(DynamoConfigStore::failedCondition)) {
                    throw cancelled;
                }
            }
            Optional<Workspace> w = get(e.workspaceId());
            if (w.isEmpty() || !w.get().generation().equals(generation)) {
                return Creation.NO_WORKSPACE;
            }
            if (tries > 0 || !countEndpoints(e.workspaceId())) {
                return Creation.AT_LIMIT;
            }
        }
    }

    /** Gives a workspace item without an endpoint count one; false if it already had one. */
    private boolean countEndpoints(String workspaceId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(wsKey(workspaceId), WORKSPACE))
                .projectionExpression("pk, endpoint_count").consistentRead(true)).item();
        if (item == null || item.isEmpty() || item.containsKey("endpoint_count")) {
            return false;
        }
        int n = listConsistent(workspaceId).size();
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(wsKey(workspaceId), WORKSPACE))
                    .updateExpression("SET endpoint_count = :n")
                    .conditionExpression("attribute_exists(pk) AND attribute_not_exists(endpoint_count)")
                    .expressionAttributeValues(Map.of(":n", Attrs.n(n))));
        } catch (ConditionalCheckFailedException raced) {
            // another request counted them first
        }
        return true;
    }

    @Override
    public Optional<Endpoint> get(String workspaceId, String endpointId) {
        var item = dynamo.getItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public List<Endpoint> list(String workspaceId) {
        return list(workspaceId, false);
    }

    @Override
    public List<Endpoint> listConsistent(String workspaceId) {
        return list(workspaceId, true);
    }

    private List<Endpoint> list(String workspaceId, boolean consistent) {
        QueryRequest q = QueryRequest.builder().tableName(table).consistentRead(consistent)
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
        // The sealed credentials too: re-sealing under a new key (the ops tool) changes nothing else, and a
        // change read before it must not put the value under the old key back.
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":u", s(expected.updatedAt().toString()), ":e", bool(expected.enabled())));
        StoredCredentials c = expected.credentials();
        values.put(":c", s(c.isLegacy() ? c.legacySecretId() : c.sealed()));
        String sameCredentials = c.isLegacy() ? "secret_id = :c AND attribute_not_exists(" + CREDENTIALS + ")" : CREDENTIALS + " = :c";
        try {
            dynamo.putItem(r -> r.tableName(table).item(toItem(updated))
                    .conditionExpression("updated_at = :u AND enabled = :e AND " + sameCredentials)
                    .expressionAttributeValues(values));
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

    /** The endpoint and its workspace's count in one transaction, so the count always matches the endpoints. */
    @Override
    public boolean delete(String workspaceId, String endpointId) {
        try {
            dynamo.transactWriteItems(r -> r.transactItems(
                    TransactWriteItem.builder().delete(Delete.builder().tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId))
                            .conditionExpression("attribute_exists(pk)").build()).build(),
                    TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(wsKey(workspaceId), WORKSPACE))
                            .updateExpression("SET endpoint_count = endpoint_count - :one")
                            .conditionExpression("endpoint_count > :zero")
                            .expressionAttributeValues(Map.of(":one", Attrs.n(1), ":zero", Attrs.n(0))).build()).build()));
            return true;
        } catch (TransactionCanceledException cancelled) {
            var reasons = cancelled.cancellationReasons();
            if (!reasons.isEmpty() && failedCondition(reasons.getFirst())) {
                return false; // the endpoint was not there
            }
            if (reasons.size() < 2 || !failedCondition(reasons.get(1))) {
                throw cancelled;
            }
        }
        // The workspace has no count: written before the count existed (count them, then try again),
        // or gone (nothing to count: remove the endpoint alone).
        if (countEndpoints(workspaceId)) {
            return delete(workspaceId, endpointId);
        }
        dynamo.deleteItem(r -> r.tableName(table).key(key(wsKey(workspaceId), "ep#" + endpointId)));
        return true;
    }

    private static boolean failedCondition(software.amazon.awssdk.services.dynamodb.model.CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
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
        StoredCredentials c = e.credentials();
        item.put("secret_hint", s(c.secretHint()));
        if (c.isLegacy()) {
            item.put("secret_id", s(c.legacySecretId()));
        } else {
            item.put(CREDENTIALS, s(c.sealed()));
        }
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
                credentials(i),
                Instant.parse(str(i, "created_at")),
                Instant.parse(str(i, "updated_at")));
    }

    /** An endpoint's sealed credentials, or (saved by version 0.1, not migrated yet) the id of its own secret. */
    private static StoredCredentials credentials(Map<String, AttributeValue> i) {
        String sealed = str(i, CREDENTIALS);
        return sealed != null ? StoredCredentials.sealed(sealed, str(i, "secret_hint"))
                : StoredCredentials.legacy(str(i, "secret_id"), str(i, "secret_hint"));
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
