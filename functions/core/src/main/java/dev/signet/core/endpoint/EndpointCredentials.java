package dev.signet.core.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;
import dev.signet.core.signing.WebhookSecret;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything secret about one endpoint: the signing secrets (more than one while a rotation's grace
 * period lasts) and the outbound auth credentials. Stored sealed in the endpoint's item
 * ({@link StoredCredentials}); {@link #toJson()} is the plaintext that is sealed (and what a version 0.1
 * endpoint's own secret holds). {@link #toString()} is redacted.
 */
public record EndpointCredentials(List<SigningKey> signingKeys, OutboundAuth auth) {
    /**
     * The most secrets that sign at once. Each one adds an entry to {@code webhook-signature} and an
     * HMAC over the whole body to every attempt, so rotating often with a long grace must not grow them
     * without bound: a rotation that would leave more retires the oldest.
     */
    public static final int MAX_SIGNING_SECRETS = 3;

    public EndpointCredentials {
        signingKeys = List.copyOf(signingKeys);
        if (signingKeys.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs a signing secret");
        }
    }

    public static EndpointCredentials of(WebhookSecret secret, OutboundAuth auth) {
        return new EndpointCredentials(List.of(new SigningKey(secret, null)), auth);
    }

    /** The secrets that sign a request sent at {@code now}: the current one plus any still in grace. */
    public List<WebhookSecret> secretsValidAt(Instant now) {
        List<WebhookSecret> valid = new ArrayList<>();
        for (SigningKey k : signingKeys) {
            if (k.notAfter() == null || now.isBefore(k.notAfter())) {
                valid.add(k.secret());
            }
        }
        return valid.isEmpty() ? List.of(signingKeys.getFirst().secret()) : valid;
    }

    public WebhookSecret current() {
        return signingKeys.getFirst().secret();
    }

    /**
     * A rotation at {@code now}: {@code next} becomes the current secret and the previous current one
     * keeps signing until {@code now + grace}. Older secrets still in grace keep their end, but never
     * beyond {@code now + grace} (so a rotation with grace 0 leaves only the new secret); secrets whose
     * grace has ended are dropped from the list, and beyond {@link #MAX_SIGNING_SECRETS} the oldest
     * ones too. The auth credential is unchanged.
     */
    public EndpointCredentials rotate(WebhookSecret next, Instant now, Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        Instant end = now.plus(grace);
        List<SigningKey> keys = new ArrayList<>();
        keys.add(new SigningKey(next, null));
        for (SigningKey k : signingKeys) {
            Instant notAfter = k.notAfter() == null || k.notAfter().isAfter(end) ? end : k.notAfter();
            // The list is newest first, so the ones past the cap are the oldest.
            if (now.isBefore(notAfter) && !k.secret().equals(next) && keys.size() < MAX_SIGNING_SECRETS) {
                keys.add(new SigningKey(k.secret(), notAfter));
            }
        }
        return new EndpointCredentials(keys, auth);
    }

    /** The same signing secrets with another outbound auth credential (a PATCH of {@code auth}). */
    public EndpointCredentials withAuth(OutboundAuth newAuth) {
        return new EndpointCredentials(signingKeys, newAuth);
    }

    public String toJson() {
        ObjectNode root = Json.object();
        ArrayNode keys = root.putArray("signing");
        for (SigningKey k : signingKeys) {
            ObjectNode n = keys.addObject().put("secret", k.secret().reveal());
            if (k.notAfter() != null) {
                n.put("not_after", k.notAfter().toString());
            }
        }
        root.set("auth", auth.toJson());
        return Json.write(root);
    }

    public static EndpointCredentials fromJson(String json) {
        JsonNode root = Json.parseTrusted(json);
        List<SigningKey> keys = new ArrayList<>();
        for (JsonNode k : root.path("signing")) {
            String notAfter = Json.text(k, "not_after");
            keys.add(new SigningKey(WebhookSecret.parse(k.path("secret").asText()),
                    notAfter == null ? null : Instant.parse(notAfter)));
        }
        return new EndpointCredentials(keys, OutboundAuth.fromJson(root.path("auth")));
    }

    @Override
    public String toString() {
        return "EndpointCredentials[redacted]";
    }

    /** A signing secret; {@code notAfter} is set on a secret being rotated out. */
    public record SigningKey(WebhookSecret secret, Instant notAfter) {
    }
}
