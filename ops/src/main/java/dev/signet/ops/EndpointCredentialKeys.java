package dev.signet.ops;

import dev.signet.core.aws.DynamoConfigStore;
import dev.signet.core.credentials.CredentialScope;
import dev.signet.core.credentials.Envelope;
import dev.signet.core.credentials.KeyEncryptionKeys;
import dev.signet.core.endpoint.EndpointCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.Filter;
import software.amazon.awssdk.services.secretsmanager.model.FilterNameStringType;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key-encryption keys of endpoint credentials, for an operator (README.md, "Credential keys"):
 * rotate the key and re-seal every endpoint under it while deliveries run, retire the keys no endpoint
 * uses any more, and move the credentials of endpoints saved by version 0.1 from their own secrets into
 * their items. Every write to an endpoint item is conditional on the sealed value it replaces, so a
 * change the management API makes meanwhile is never overwritten; every pass can be run again (an
 * interrupted one carries on where the items show it stopped).
 */
final class EndpointCredentialKeys {
    /** Passes over the table before giving up on endpoints that keep changing under the re-sealing. */
    static final int MAX_PASSES = 5;
    private static final String LEGACY_SECRET_ID = "secret_id";

    private final DynamoDbClient dynamo;
    private final SecretsManagerClient secrets;
    private final String configTable;
    private final String keySecretId;
    private final PrintStream out;
    private final Clock clock;

    EndpointCredentialKeys(DynamoDbClient dynamo, SecretsManagerClient secrets, String configTable, String keySecretId, PrintStream out,
                           Clock clock) {
        this.dynamo = dynamo;
        this.secrets = secrets;
        this.configTable = configTable;
        this.keySecretId = keySecretId;
        this.out = out;
        this.clock = clock;
    }

    /**
     * Adds a key and makes it current, then re-seals every endpoint under it. The previous keys stay
     * readable, so deliveries (which pick the new key up at its first use) never miss a credential.
     */
    boolean rotateKey() {
        KeyEncryptionKeys keys = keys().rotated(clock.instant());
        secrets.putSecretValue(r -> r.secretId(keySecretId).secretString(keys.toJson()));
        out.println("key " + keys.currentId() + " is current; " + String.join(", ", keys.ids().stream()
                .filter(id -> !id.equals(keys.currentId())).toList()) + " stay readable");
        return reseal(keys);
    }

    /**
     * Re-seals what is still under an old key, then, once no function instance can still be sealing
     * with one (the rotation is older than their key cache), removes the old keys from the secret.
     */
    boolean retireKeys(Duration keyCache) {
        KeyEncryptionKeys keys = keys();
        if (keys.ids().size() == 1) {
            out.println("only key " + keys.currentId() + " is in the secret: nothing to retire");
            return true;
        }
        if (!reseal(keys)) {
            return false;
        }
        Instant safe = keys.rotatedAt() == null ? Instant.MIN : keys.rotatedAt().plus(keyCache);
        if (clock.instant().isBefore(safe)) {
            out.println("not yet: function instances may seal with an old key until " + safe
                    + " (their key cache); every endpoint is under " + keys.currentId() + " now, run this again after then");
            return false;
        }
        long left = scan(underOldKey(keys)).count();
        if (left > 0) {
            out.println(left + " endpoints were sealed under an old key meanwhile; run this again");
            return false;
        }
        KeyEncryptionKeys retired = keys.withoutOldKeys();
        secrets.putSecretValue(r -> r.secretId(keySecretId).secretString(retired.toJson()));
        out.println("retired " + String.join(", ", keys.ids().stream().filter(id -> !id.equals(keys.currentId())).toList())
                + "; the secret holds only " + keys.currentId());
        return true;
    }

    /**
     * Moves the credentials of endpoints saved by version 0.1 from their own secrets into their items
     * (one conditional write each), then deletes every such secret no item refers to any more (migrated,
     * or its endpoint deleted since the upgrade).
     */
    boolean migrate(String legacyPrefix) {
        KeyEncryptionKeys keys = keys();
        Map<String, String> generations = new HashMap<>();
        int moved = 0;
        int failed = 0;
        for (Map<String, AttributeValue> item : (Iterable<Map<String, AttributeValue>>) scan(legacy())::iterator) {
            String ws = item.get("pk").s().substring("ws#".length());
            String ep = item.get("sk").s().substring("ep#".length());
            String secretId = item.get(LEGACY_SECRET_ID).s();
            Optional<String> json = secretValue(secretId);
            Optional<String> generation = generation(generations, ws);
            if (json.isEmpty() || generation.isEmpty()) {
                out.println("  " + ws + "/" + ep + ": " + (json.isEmpty() ? "its secret " + secretId + " is gone" : "its workspace is gone")
                        + "; left as it is");
                failed++;
                continue;
            }
            String sealed = Envelope.seal(keys, new CredentialScope(ws, generation.get(), ep),
                    EndpointCredentials.fromJson(json.get()).toJson().getBytes(StandardCharsets.UTF_8));
            try {
                dynamo.updateItem(r -> r.tableName(configTable).key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                        .updateExpression("SET #c = :sealed REMOVE " + LEGACY_SECRET_ID)
                        .conditionExpression(LEGACY_SECRET_ID + " = :id AND attribute_not_exists(#c)")
                        .expressionAttributeNames(Map.of("#c", DynamoConfigStore.CREDENTIALS))
                        .expressionAttributeValues(Map.of(":sealed", AttributeValue.fromS(sealed), ":id", AttributeValue.fromS(secretId))));
                moved++;
            } catch (ConditionalCheckFailedException e) {
                // Changed meanwhile: the management API sealed it on its own (a new secret or auth), or it was deleted.
            }
        }
        out.println("sealed the credentials of " + moved + " endpoints from 0.1 into their items");
        int deleted = 0;
        int kept = 0;
        String prefix = legacyPrefix + "/endpoints/";
        // Listed whole before anything is deleted, so deleting does not move the pages under the listing.
        java.util.List<SecretListEntry> listed = secrets.listSecretsPaginator(r -> r.filters(Filter.builder().key(FilterNameStringType.NAME)
                .values(prefix).build())).stream().flatMap(page -> page.secretList().stream()).toList();
        for (SecretListEntry secret : listed) {
            if (!secret.name().startsWith(prefix)) {
                continue; // the name filter matches by prefix of words, not only of the whole name
            }
            String[] wsAndEp = secret.name().substring(prefix.length()).split("/", 2);
            if (wsAndEp.length == 2 && stillNeeded(wsAndEp[0], wsAndEp[1], secret.name())) {
                kept++;
                continue;
            }
            secrets.deleteSecret(r -> r.secretId(secret.arn()).forceDeleteWithoutRecovery(true));
            deleted++;
        }
        out.println("deleted " + deleted + " endpoint secrets no endpoint needs any more" + (kept == 0 ? "" : "; " + kept + " still needed"));
        return failed == 0 && kept == 0;
    }

    /** Whether an endpoint item still has its credentials only in that secret. */
    private boolean stillNeeded(String ws, String ep, String secretName) {
        var item = dynamo.getItem(r -> r.tableName(configTable).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("ws#" + ws), "sk", AttributeValue.fromS("ep#" + ep)))).item();
        return item != null && item.containsKey(LEGACY_SECRET_ID) && !item.containsKey(DynamoConfigStore.CREDENTIALS)
                && secretName.equals(item.get(LEGACY_SECRET_ID).s());
    }

    /** Re-seals every endpoint not under the current key, pass after pass until none is left (or it keeps changing). */
    private boolean reseal(KeyEncryptionKeys keys) {
        Map<String, String> generations = new HashMap<>();
        int total = 0;
        for (int pass = 1; pass <= MAX_PASSES; pass++) {
            int resealed = 0;
            int changed = 0;
            int unreadable = 0;
            for (Map<String, AttributeValue> item : (Iterable<Map<String, AttributeValue>>) scan(underOldKey(keys))::iterator) {
                String ws = item.get("pk").s().substring("ws#".length());
                String ep = item.get("sk").s().substring("ep#".length());
                String old = item.get(DynamoConfigStore.CREDENTIALS).s();
                Optional<String> generation = generation(generations, ws);
                if (generation.isEmpty()) {
                    continue; // its workspace is being deleted, and the endpoint with it
                }
                CredentialScope scope = new CredentialScope(ws, generation.get(), ep);
                String sealed;
                try {
                    sealed = Envelope.seal(keys, scope, Envelope.open(keys, scope, old));
                } catch (Envelope.UnreadableException e) {
                    out.println("  " + ws + "/" + ep + ": " + e.getMessage() + "; left as it is");
                    unreadable++;
                    continue;
                }
                try {
                    dynamo.updateItem(r -> r.tableName(configTable)
                            .key(Map.of("pk", item.get("pk"), "sk", item.get("sk")))
                            .updateExpression("SET #c = :new").conditionExpression("#c = :old")
                            .expressionAttributeNames(Map.of("#c", DynamoConfigStore.CREDENTIALS))
                            .expressionAttributeValues(Map.of(":new", AttributeValue.fromS(sealed), ":old", AttributeValue.fromS(old))));
                    resealed++;
                } catch (ConditionalCheckFailedException e) {
                    changed++; // changed or deleted since the scan read it: the next pass sees what it is now
                }
            }
            total += resealed;
            if (unreadable > 0) {
                out.println("re-sealed " + total + " endpoints under " + keys.currentId() + "; " + unreadable
                        + " could not be opened (see above): keep their key until they are fixed");
                return false;
            }
            if (changed == 0) {
                out.println("re-sealed " + total + " endpoints under " + keys.currentId() + "; none is under another key");
                return true;
            }
        }
        out.println("re-sealed " + total + " endpoints under " + keys.currentId() + "; some kept changing meanwhile: run this again");
        return false;
    }

    /** The endpoint items a filter selects, every page of a strongly consistent Scan (only the attributes needed). */
    private java.util.stream.Stream<Map<String, AttributeValue>> scan(ScanRequest.Builder filter) {
        return dynamo.scanPaginator(filter.tableName(configTable).consistentRead(true).build()).items().stream();
    }

    private static ScanRequest.Builder underOldKey(KeyEncryptionKeys keys) {
        return ScanRequest.builder()
                .filterExpression("begins_with(sk, :ep) AND attribute_exists(#c) AND NOT begins_with(#c, :current)")
                .projectionExpression("pk, sk, #c")
                .expressionAttributeNames(Map.of("#c", DynamoConfigStore.CREDENTIALS))
                .expressionAttributeValues(Map.of(":ep", AttributeValue.fromS("ep#"), ":current", AttributeValue.fromS(keys.currentId() + ".")));
    }

    private static ScanRequest.Builder legacy() {
        return ScanRequest.builder()
                .filterExpression("begins_with(sk, :ep) AND attribute_exists(" + LEGACY_SECRET_ID + ") AND attribute_not_exists(#c)")
                .projectionExpression("pk, sk, " + LEGACY_SECRET_ID)
                .expressionAttributeNames(Map.of("#c", DynamoConfigStore.CREDENTIALS))
                .expressionAttributeValues(Map.of(":ep", AttributeValue.fromS("ep#")));
    }

    /** The workspace's generation ("" for one from before generations), or empty if it is gone; read once per workspace. */
    private Optional<String> generation(Map<String, String> known, String ws) {
        String g = known.computeIfAbsent(ws, w -> {
            var item = dynamo.getItem(r -> r.tableName(configTable).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS("ws#" + w), "sk", AttributeValue.fromS("workspace")))).item();
            if (item == null || item.isEmpty()) {
                return "\u0000gone";
            }
            AttributeValue generation = item.get("generation");
            return generation == null ? "" : generation.s();
        });
        return g.equals("\u0000gone") ? Optional.empty() : Optional.of(g);
    }

    private KeyEncryptionKeys keys() {
        return KeyEncryptionKeys.parse(secrets.getSecretValue(r -> r.secretId(keySecretId)).secretString());
    }

    private Optional<String> secretValue(String secretId) {
        try {
            return Optional.of(secrets.getSecretValue(r -> r.secretId(secretId)).secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Where a deployment's 0.1 endpoint secrets were named: beside the key secret ({@code signet/<stack>/credential-key}
     * beside {@code signet/<stack>/endpoints/…}); the key secret may be given by name or ARN.
     */
    static String legacyPrefixOf(String keySecretId) {
        String name = keySecretId.contains(":secret:") ? keySecretId.substring(keySecretId.indexOf(":secret:") + ":secret:".length())
                : keySecretId;
        int slash = name.lastIndexOf('/');
        if (slash <= 0) {
            throw new Args.UsageException("--key-secret " + keySecretId + " has no prefix to find 0.1 endpoint secrets under; pass --legacy-prefix");
        }
        return name.substring(0, slash);
    }
}
