package dev.signet.core.event;

import java.time.Instant;

/**
 * One try at delivering one event to one endpoint, as the delivery log shows it (openapi.yaml, the delivery log).
 * Written before the queue message is acknowledged, so no outcome goes unrecorded. Stored under the
 * workspace's {@code generation} (the one its delivery job carries), like its event.
 *
 * @param url     the URL the request went to (the endpoint's URL at that moment), or null when no request was sent
 * @param trigger what started the run this attempt belongs to ({@code attempt} counts within the run), or
 *                null for a record written before attempts carried it
 */
public record Attempt(
        String id,
        String workspaceId,
        String generation,
        String eventId,
        String endpointId,
        int attempt,
        Status status,
        Integer responseStatus,
        String responseBody,
        String error,
        long durationMs,
        Instant createdAt,
        Instant nextAttemptAt,
        DeliveryStatus deliveryStatus,
        String url,
        Progress.Trigger trigger) {

    /** An attempt without a URL or trigger (test set-up, records from before they were kept). */
    public Attempt(String id, String workspaceId, String generation, String eventId, String endpointId, int attempt, Status status,
                   Integer responseStatus, String responseBody, String error, long durationMs, Instant createdAt,
                   Instant nextAttemptAt, DeliveryStatus deliveryStatus) {
        this(id, workspaceId, generation, eventId, endpointId, attempt, status, responseStatus, responseBody, error, durationMs, createdAt,
                nextAttemptAt, deliveryStatus, null, null);
    }

    /** Response bodies are stored up to this many bytes of UTF-8. */
    public static final int MAX_STORED_BODY_BYTES = 4096;

    public enum Status {
        SUCCEEDED, FAILED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Where the delivery (event × endpoint) stands after this attempt. */
    public enum DeliveryStatus {
        PENDING, SUCCEEDED, FAILED, DEAD_LETTERED;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
