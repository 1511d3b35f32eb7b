package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A customer's webhook endpoint as the admin key reads it: never a secret or credential, only
 * {@code secretHint} (or {@code publicKey} for {@code v1a} endpoints) and, with mutual TLS, the
 * client certificate's subject and expiry. Fields the server does not send
 * are null. {@code disabledBy} is {@code operator}, {@code workspace}, {@code signet} or null.
 */
public record Endpoint(String id, String url, String description, String method, String payloadFormat,
                       List<String> eventTypes, Map<String, String> headers, String authType, int timeoutSeconds,
                       boolean enabled, String disabledReason, String disabledBy, String signatureScheme,
                       String secretHint, String publicKey, TlsClientCertificate tlsClientCertificate,
                       Instant createdAt, Instant updatedAt) {
    /** The client certificate presented to the endpoint (mutual TLS); its private key is never sent. */
    public record TlsClientCertificate(String subject, Instant notAfter) {
    }

    static Endpoint from(JsonNode n) {
        return new Endpoint(Wire.text(n, "id"), Wire.text(n, "url"), Wire.text(n, "description"), Wire.text(n, "method"),
                Wire.text(n, "payload_format"), Wire.strings(n, "event_types"), Wire.stringMap(n, "headers"),
                Wire.text(n.path("auth"), "type"), (int) Wire.number(n, "timeout_seconds"), Wire.bool(n, "enabled"),
                Wire.text(n, "disabled_reason"), Wire.text(n, "disabled_by"), Wire.text(n, "signature_scheme"),
                Wire.text(n, "secret_hint"), Wire.text(n, "public_key"), certificate(n.path("tls_client_certificate")),
                Wire.instant(n, "created_at"), Wire.instant(n, "updated_at"));
    }

    private static TlsClientCertificate certificate(JsonNode c) {
        return c.isObject() ? new TlsClientCertificate(Wire.text(c, "subject"), Wire.instant(c, "not_after")) : null;
    }
}
