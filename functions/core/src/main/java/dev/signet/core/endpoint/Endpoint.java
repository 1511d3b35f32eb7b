package dev.signet.core.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A customer's webhook receiver and how to call it. Holds no secret in the clear: its signing secrets
 * and auth credentials ({@link EndpointCredentials}) are sealed in {@link #credentials()}, which only
 * the management and delivery functions can open.
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
        StoredCredentials credentials,
        Instant createdAt,
        Instant updatedAt) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 15;
    /** The disabled_reason of an endpoint the admin key disabled. */
    public static final String DISABLED_BY_OPERATOR = "disabled by the operator";
    /** The disabled_reason of an endpoint a session of its workspace disabled. */
    public static final String DISABLED_BY_WORKSPACE = "disabled by the workspace";

    public Endpoint {
        eventTypes = List.copyOf(eventTypes);
        headers = Map.copyOf(headers);
        java.util.Objects.requireNonNull(credentials, "credentials");
    }

    public String secretHint() {
        return credentials.secretHint();
    }

    /** The same endpoint with other stored credentials (a rotation, a new auth credential), changed at {@code updatedAt}. */
    public Endpoint withCredentials(StoredCredentials next, AuthType nextAuthType, Instant changedAt) {
        return new Endpoint(id, workspaceId, url, description, method, payloadFormat, eventTypes, headers, nextAuthType, timeoutSeconds,
                enabled, disabledReason, next, createdAt, changedAt);
    }

    /** Whether an event of this type goes to this endpoint (an empty filter means every type). */
    public boolean wants(String eventType) {
        return enabled && matches(eventType);
    }

    /** Whether the filter takes events of this type, enabled or not (an empty filter means every type). */
    public boolean matches(String eventType) {
        return eventTypes.isEmpty() || eventTypes.contains(eventType);
    }

    /**
     * Who disabled the endpoint, or null while it is enabled: told apart by the reason each one
     * writes. Any reason but the operator's and the workspace's is Signet's own (a 410, auto-disable).
     */
    public DisabledBy disabledBy() {
        if (enabled) {
            return null;
        }
        if (DISABLED_BY_OPERATOR.equals(disabledReason)) {
            return DisabledBy.OPERATOR;
        }
        return DISABLED_BY_WORKSPACE.equals(disabledReason) ? DisabledBy.WORKSPACE : DisabledBy.SIGNET;
    }

    /** Who stopped an endpoint: the operator (admin key), its workspace (a session), or Signet itself. */
    public enum DisabledBy {
        OPERATOR, WORKSPACE, SIGNET;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
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
