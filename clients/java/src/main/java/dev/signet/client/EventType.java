package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** An entry of the event type catalog; {@code schema} and {@code example} are null when not set. */
public record EventType(String name, String description, JsonNode schema, JsonNode example, boolean validate,
                        boolean deprecated, Instant updatedAt) {
    static EventType from(JsonNode n) {
        return new EventType(Wire.text(n, "name"), Wire.text(n, "description"), Wire.tree(n, "schema"),
                Wire.tree(n, "example"), Wire.bool(n, "validate"), Wire.bool(n, "deprecated"), Wire.instant(n, "updated_at"));
    }
}
