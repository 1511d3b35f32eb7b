package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One event as emitted (its payload with every number exact) and where its delivery to each endpoint
 * stands: {@link Delivery#status()} is {@code pending}, {@code succeeded}, {@code failed} or {@code dead_lettered}.
 */
public record EventDetail(String id, String event, Instant createdAt, String resource, String resourceId,
                          JsonNode payload, List<Delivery> deliveries) {
    public record Delivery(String endpointId, String status, int attempts) {
        static Delivery from(JsonNode n) {
            return new Delivery(Wire.text(n, "endpoint_id"), Wire.text(n, "status"), (int) Wire.number(n, "attempts"));
        }
    }

    static EventDetail from(JsonNode n) {
        return new EventDetail(Wire.text(n, "id"), Wire.text(n, "event"), Wire.instant(n, "created_at"),
                Wire.text(n, "resource"), Wire.text(n, "resource_id"), Wire.tree(n, "payload"),
                Wire.list(n, "deliveries", Delivery::from));
    }
}
