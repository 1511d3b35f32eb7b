package dev.signet.core.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;
import dev.signet.core.signing.Signer;
import dev.signet.core.signing.SigningKeyPair;
import dev.signet.core.signing.WebhookSecret;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything secret about one endpoint: its signing keys ({@code v1} secrets or {@code v1a} key pairs;
 * more than one while a rotation's grace period lasts), its outbound auth credential and its TLS client
 * certificate, if any. Stored sealed in the endpoint's item ({@link StoredCredentials}); {@link #toJson()}
 * is the plaintext that is sealed (and, for a v1 endpoint without a certificate, what a version 0.1
 * endpoint's own secret holds). {@link #toString()} is redacted.
 *
 * @param clientCertificate the {@code tls_client_certificate} presented to the receiver, or null
 */
public record EndpointCredentials(List<SigningKey> signingKeys, OutboundAuth auth, ClientCertificate clientCertificate) {
    /**
     * The most keys that sign at once. Each one adds an entry to {@code webhook-signature} and a
     * signature over the whole body to every attempt, so rotating often with a long grace must not grow
     * them without bound: a rotation that would leave more retires the oldest.
     */
    public static final int MAX_SIGNING_SECRETS = 3;

    public EndpointCredentials {
        signingKeys = List.copyOf(signingKeys);
        if (signingKeys.isEmpty()) {
            throw new IllegalArgumentException("an endpoint needs a signing secret");
        }
        Endpoint.SignatureScheme scheme = signingKeys.getFirst().scheme();
        if (signingKeys.stream().anyMatch(k -> k.scheme() != scheme)) {
            throw new IllegalArgumentException("an endpoint's signing keys are all of one scheme");
        }
    }

    public EndpointCredentials(List<SigningKey> signingKeys, OutboundAuth auth) {
        this(signingKeys, auth, null);
    }

    public static EndpointCredentials of(WebhookSecret secret, OutboundAuth auth) {
        return new EndpointCredentials(List.of(new SigningKey(secret, null)), auth, null);
    }

    /** A {@code v1a} endpoint's credentials: its key pair signs. */
    public static EndpointCredentials of(SigningKeyPair keyPair, OutboundAuth auth) {
        return new EndpointCredentials(List.of(new SigningKey(null, keyPair, null)), auth, null);
    }

    public Endpoint.SignatureScheme scheme() {
        return signingKeys.getFirst().scheme();
    }

    /** The keys that sign a request sent at {@code now}: the current one plus any still in grace. */
    public List<SigningKey> keysValidAt(Instant now) {
        List<SigningKey> valid = new ArrayList<>();
        for (SigningKey k : signingKeys) {
            if (k.notAfter() == null || now.isBefore(k.notAfter())) {
                valid.add(k);
            }
        }
        return valid.isEmpty() ? List.of(signingKeys.getFirst()) : valid;
    }

    /** The {@code v1} secrets that sign a request sent at {@code now}. */
    public List<WebhookSecret> secretsValidAt(Instant now) {
        return keysValidAt(now).stream().map(SigningKey::secret).toList();
    }

    /**
     * The {@code webhook-signature} header of a request sent at {@code now}: one {@code v1,} or
     * {@code v1a,} entry per key in force.
     */
    public String signatureHeader(String webhookId, long timestampSeconds, byte[] body, Instant now) {
        List<SigningKey> keys = keysValidAt(now);
        return scheme() == Endpoint.SignatureScheme.V1A
                ? Signer.asymmetricSignatureHeader(webhookId, timestampSeconds, body, keys.stream().map(SigningKey::keyPair).toList())
                : Signer.signatureHeader(webhookId, timestampSeconds, body, keys.stream().map(SigningKey::secret).toList());
    }

    /** The current {@code v1} secret (null for a {@code v1a} endpoint). */
    public WebhookSecret current() {
        return signingKeys.getFirst().secret();
    }

    /** The current {@code v1a} key pair (null for a {@code v1} endpoint). */
    public SigningKeyPair currentKeyPair() {
        return signingKeys.getFirst().keyPair();
    }

    /**
     * A rotation at {@code now}: {@code next} becomes the current secret and the previous current one
     * keeps signing until {@code now + grace}. Older secrets still in grace keep their end, but never
     * beyond {@code now + grace} (so a rotation with grace 0 leaves only the new secret); secrets whose
     * grace has ended are dropped from the list, and beyond {@link #MAX_SIGNING_SECRETS} the oldest
     * ones too. The auth credential and the client certificate are unchanged.
     */
    public EndpointCredentials rotate(WebhookSecret next, Instant now, Duration grace) {
        return rotate(new SigningKey(next, null), now, grace);
    }

    /** The same rotation for a {@code v1a} endpoint: {@code next} signs from now on, the previous pair during the grace. */
    public EndpointCredentials rotate(SigningKeyPair next, Instant now, Duration grace) {
        return rotate(new SigningKey(null, next, null), now, grace);
    }

    private EndpointCredentials rotate(SigningKey next, Instant now, Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative");
        }
        Instant end = now.plus(grace);
        List<SigningKey> keys = new ArrayList<>();
        keys.add(next);
        for (SigningKey k : signingKeys) {
            Instant notAfter = k.notAfter() == null || k.notAfter().isAfter(end) ? end : k.notAfter();
            // The list is newest first, so the ones past the cap are the oldest.
            if (now.isBefore(notAfter) && !k.sameKey(next) && keys.size() < MAX_SIGNING_SECRETS) {
                keys.add(k.until(notAfter));
            }
        }
        return new EndpointCredentials(keys, auth, clientCertificate);
    }

    /** The same signing keys and certificate with another outbound auth credential (a PATCH of {@code auth}). */
    public EndpointCredentials withAuth(OutboundAuth newAuth) {
        return new EndpointCredentials(signingKeys, newAuth, clientCertificate);
    }

    /** The same signing keys and auth with another client certificate, or none (a PATCH of {@code tls_client_certificate}). */
    public EndpointCredentials withClientCertificate(ClientCertificate certificate) {
        return new EndpointCredentials(signingKeys, auth, certificate);
    }

    public String toJson() {
        ObjectNode root = Json.object();
        ArrayNode keys = root.putArray("signing");
        for (SigningKey k : signingKeys) {
            ObjectNode n = k.secret() != null ? keys.addObject().put("secret", k.secret().reveal())
                    : keys.addObject().put("key_pair", k.keyPair().reveal());
            if (k.notAfter() != null) {
                n.put("not_after", k.notAfter().toString());
            }
        }
        root.set("auth", auth.toJson());
        if (clientCertificate != null) {
            root.putObject("client_certificate").put("certificate", clientCertificate.certificatePem())
                    .put("private_key", clientCertificate.revealPrivateKeyPem());
        }
        return Json.write(root);
    }

    public static EndpointCredentials fromJson(String json) {
        JsonNode root = Json.parseTrusted(json);
        List<SigningKey> keys = new ArrayList<>();
        for (JsonNode k : root.path("signing")) {
            String notAfter = Json.text(k, "not_after");
            Instant end = notAfter == null ? null : Instant.parse(notAfter);
            String pair = Json.text(k, "key_pair");
            keys.add(pair != null ? new SigningKey(null, SigningKeyPair.parse(pair), end)
                    : new SigningKey(WebhookSecret.parse(k.path("secret").asText()), end));
        }
        JsonNode certificate = root.path("client_certificate");
        return new EndpointCredentials(keys, OutboundAuth.fromJson(root.path("auth")), certificate.isObject()
                ? ClientCertificate.read(Json.text(certificate, "certificate"), Json.text(certificate, "private_key")) : null);
    }

    @Override
    public String toString() {
        return "EndpointCredentials[redacted]";
    }

    /**
     * A signing key, {@code v1} ({@code secret}) or {@code v1a} ({@code keyPair}): exactly one is set.
     * {@code notAfter} is set on a key being rotated out.
     */
    public record SigningKey(WebhookSecret secret, SigningKeyPair keyPair, Instant notAfter) {
        public SigningKey {
            if ((secret == null) == (keyPair == null)) {
                throw new IllegalArgumentException("a signing key is a v1 secret or a v1a key pair");
            }
        }

        public SigningKey(WebhookSecret secret, Instant notAfter) {
            this(secret, null, notAfter);
        }

        public Endpoint.SignatureScheme scheme() {
            return secret != null ? Endpoint.SignatureScheme.V1 : Endpoint.SignatureScheme.V1A;
        }

        boolean sameKey(SigningKey other) {
            return secret != null ? secret.equals(other.secret) : keyPair.equals(other.keyPair);
        }

        SigningKey until(Instant end) {
            return new SigningKey(secret, keyPair, end);
        }
    }
}
