package dev.signet.core.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.ids.Randomness;
import dev.signet.core.json.Json;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deployment's key-encryption keys, as its one Secrets Manager secret holds them (ARCHITECTURE.md,
 * "Credentials"): JSON naming the current key, and every key still readable by its id,
 * <pre>{"current":"k2","rotated_at":"2026-12-01T12:00:00Z","k1":"…","k2":"…"}</pre>
 * template.yaml generates the first set ({@code {"current":"k1","k1":"<64 letters and digits>"}});
 * {@code scripts/signet credentials rotate-key} adds a key and makes it current, {@code retire-keys}
 * drops the ones no endpoint uses. A key's material is text of at least {@value #MIN_MATERIAL_CHARS}
 * characters; the AES-256 key is derived from it with HMAC-SHA256, so the template's generated string
 * serves as it is. {@link #toString()} names the key ids only.
 */
public final class KeyEncryptionKeys {
    public static final String CURRENT = "current";
    public static final String ROTATED_AT = "rotated_at";
    static final int MIN_MATERIAL_CHARS = 32;
    private static final int GENERATED_CHARS = 64;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** Key ids go into every sealed value, before a '.', so they are short and never contain one. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final byte[] DERIVATION_LABEL = "signet endpoint credentials key-encryption key v1".getBytes(StandardCharsets.US_ASCII);

    private final String currentId;
    private final Instant rotatedAt;
    private final Map<String, String> material;
    private final Map<String, SecretKey> keys;

    private KeyEncryptionKeys(String currentId, Instant rotatedAt, Map<String, String> material) {
        if (!material.containsKey(currentId)) {
            throw new InvalidKeysException("the current key \"" + currentId + "\" is not in the secret");
        }
        this.currentId = currentId;
        this.rotatedAt = rotatedAt;
        this.material = Collections.unmodifiableMap(new LinkedHashMap<>(material));
        Map<String, SecretKey> derived = new LinkedHashMap<>();
        material.forEach((id, text) -> derived.put(id, derive(id, text)));
        this.keys = Collections.unmodifiableMap(derived);
    }

    /** A first set: one generated key, {@code k1}, current. */
    public static KeyEncryptionKeys generate() {
        return new KeyEncryptionKeys("k1", null, Map.of("k1", newMaterial()));
    }

    /** Reads the secret's JSON, saying what is wrong without ever quoting key material. */
    public static KeyEncryptionKeys parse(String json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (Exception e) {
            throw new InvalidKeysException("the key-encryption key secret is not JSON");
        }
        if (!root.isObject()) {
            throw new InvalidKeysException("the key-encryption key secret is not a JSON object");
        }
        String current = Json.text(root, CURRENT);
        if (current == null) {
            throw new InvalidKeysException("the key-encryption key secret has no \"current\" key id");
        }
        Instant rotatedAt = null;
        String rotated = Json.text(root, ROTATED_AT);
        if (rotated != null) {
            try {
                rotatedAt = Instant.parse(rotated);
            } catch (RuntimeException e) {
                throw new InvalidKeysException("the key-encryption key secret's \"rotated_at\" is not an ISO-8601 instant");
            }
        }
        Map<String, String> material = new LinkedHashMap<>();
        for (var it = root.fields(); it.hasNext(); ) {
            var field = it.next();
            if (field.getKey().equals(CURRENT) || field.getKey().equals(ROTATED_AT)) {
                continue;
            }
            if (!field.getValue().isTextual()) {
                throw new InvalidKeysException("key \"" + field.getKey() + "\" of the key-encryption key secret is not a string");
            }
            material.put(field.getKey(), field.getValue().asText());
        }
        return new KeyEncryptionKeys(current, rotatedAt, material);
    }

    /** The same keys plus a new generated one, current from {@code now}; the others stay readable. */
    public KeyEncryptionKeys rotated(Instant now) {
        int n = 1;
        while (material.containsKey("k" + n)) {
            n++;
        }
        Map<String, String> next = new LinkedHashMap<>(material);
        next.put("k" + n, newMaterial());
        return new KeyEncryptionKeys("k" + n, now, next);
    }

    /** Only the current key: what is left once no endpoint's credentials are sealed under another. */
    public KeyEncryptionKeys withoutOldKeys() {
        return new KeyEncryptionKeys(currentId, rotatedAt, Map.of(currentId, material.get(currentId)));
    }

    /** The secret's JSON; key material included, so only for writing the secret. */
    public String toJson() {
        ObjectNode root = Json.object().put(CURRENT, currentId);
        if (rotatedAt != null) {
            root.put(ROTATED_AT, rotatedAt.toString());
        }
        material.forEach(root::put);
        return Json.write(root);
    }

    public String currentId() {
        return currentId;
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    /** The key with this id, or null if the set has none such. */
    SecretKey key(String id) {
        return keys.get(id);
    }

    public Set<String> ids() {
        return keys.keySet();
    }

    /** When the current key became current; null for a set that was never rotated. */
    public Instant rotatedAt() {
        return rotatedAt;
    }

    @Override
    public String toString() {
        return "KeyEncryptionKeys[current " + currentId + ", readable " + keys.keySet() + "]";
    }

    private static SecretKey derive(String id, String text) {
        if (!KEY_ID.matcher(id).matches()) {
            throw new InvalidKeysException("key id \"" + id + "\" must be 1 to 32 of A-Z a-z 0-9 _ -");
        }
        if (text.length() < MIN_MATERIAL_CHARS) {
            throw new InvalidKeysException("key \"" + id + "\" must be at least " + MIN_MATERIAL_CHARS + " characters of random text");
        }
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(text.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return new SecretKeySpec(hmac.doFinal(DERIVATION_LABEL), "AES");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    private static String newMaterial() {
        SecureRandom random = Randomness.secure();
        StringBuilder s = new StringBuilder(GENERATED_CHARS);
        for (int i = 0; i < GENERATED_CHARS; i++) {
            s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }

    /** A secret that does not hold a usable key set; the message never contains key material. */
    public static final class InvalidKeysException extends IllegalStateException {
        public InvalidKeysException(String message) {
            super(message);
        }
    }
}
