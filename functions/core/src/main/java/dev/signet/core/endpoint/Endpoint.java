package dev.signet.core.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A customer's webhook receiver and how to call it. Holds no secret: the signing secrets and auth
 * credentials live in Secrets Manager under {@link #secretId()} ({@link EndpointCredentials}).
 */
public record Endpoint(
        String id,
        String workspaceId,
        String url,
        String description,
        String method,
        PayloadFormat payloadFormat,
        List<String> eventTypes,
        Map<String, String> headers,
        AuthType authType,
        int timeoutSeconds,
        boolean enabled,
        String disabledReason,
        String secretHint,
        String secretId,
        Instant createdAt,
        Instant updatedAt) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 15;

    public Endpoint {
        eventTypes = List.copyOf(eventTypes);
        headers = Map.copyOf(headers);
    }

    /** Whether an event of this type goes to this endpoint (an empty filter means every type). */
    public boolean wants(String eventType) {
        return enabled && (eventTypes.isEmpty() || eventTypes.contains(eventType));
    }

    public enum PayloadFormat {
        ENVELOPE, RAW;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum AuthType {
        NONE, BASIC, BEARER, HEADER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
