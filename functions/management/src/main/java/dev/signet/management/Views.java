package dev.signet.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;
import dev.signet.core.workspace.Workspace;

/** The JSON shapes the management API returns (openapi.yaml). None of them holds a secret. */
final class Views {
    private Views() {
    }

    static ObjectNode workspace(Workspace w) {
        return Json.object().put("id", w.id()).put("name", w.name()).put("created_at", Timestamps.format(w.createdAt()));
    }

    static ObjectNode endpoint(Endpoint e) {
        ObjectNode n = Json.object();
        n.put("id", e.id());
        n.put("url", e.url());
        n.put("description", e.description());
        n.put("method", e.method());
        n.put("payload_format", e.payloadFormat().wire());
        e.eventTypes().forEach(n.putArray("event_types")::add);
        if (e.eventTypes().isEmpty()) {
            n.putArray("event_types");
        }
        ObjectNode headers = n.putObject("headers");
        e.headers().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(h -> headers.put(h.getKey(), h.getValue()));
        n.putObject("auth").put("type", e.authType().wire());
        n.put("timeout_seconds", e.timeoutSeconds());
        n.put("enabled", e.enabled());
        if (e.disabledReason() == null) {
            n.putNull("disabled_reason");
        } else {
            n.put("disabled_reason", e.disabledReason());
        }
        if (e.disabledBy() == null) {
            n.putNull("disabled_by");
        } else {
            n.put("disabled_by", e.disabledBy().wire());
        }
        StoredCredentials c = e.credentials();
        n.put("signature_scheme", c.scheme().wire());
        n.put("secret_hint", c.secretHint());
        n.put("public_key", c.publicKey());
        if (c.certificateSubject() == null) {
            n.putNull("tls_client_certificate");
        } else {
            n.putObject("tls_client_certificate").put("subject", c.certificateSubject())
                    .put("not_after", Timestamps.format(c.certificateNotAfter()));
        }
        n.put("created_at", Timestamps.format(e.createdAt()));
        n.put("updated_at", Timestamps.format(e.updatedAt()));
        return n;
    }
}
