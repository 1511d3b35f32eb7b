package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One delivery attempt from the delivery log. {@code status} is {@code succeeded} or {@code failed};
 * {@code responseStatus} is null when no HTTP answer came (timeout, connection error: see {@code error}).
 * {@code trigger} ({@code event}, {@code retry}, {@code recover}, {@code test}, {@code redrive}) and
 * {@code url} are null from servers that do not report them yet.
 */
public record Attempt(String id, String eventId, String endpointId, int attempt, String status, Integer responseStatus,
                      String responseBody, String error, long durationMs, Instant createdAt, Instant nextAttemptAt,
                      String url, String trigger) {
    static Attempt from(JsonNode n) {
        return new Attempt(Wire.text(n, "id"), Wire.text(n, "event_id"), Wire.text(n, "endpoint_id"),
                (int) Wire.number(n, "attempt"), Wire.text(n, "status"), Wire.integer(n, "response_status"),
                Wire.text(n, "response_body"), Wire.text(n, "error"), Wire.number(n, "duration_ms"),
                Wire.instant(n, "created_at"), Wire.instant(n, "next_attempt_at"), Wire.text(n, "url"), Wire.text(n, "trigger"));
    }
}
