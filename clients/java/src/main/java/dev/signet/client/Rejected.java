package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

/** One event of a batch that was refused, and why; the others of the batch were still queued. */
public record Rejected(String code, String message, String field) implements BatchItem {
    static Rejected from(JsonNode error) {
        return new Rejected(Wire.text(error, "code"), Wire.text(error, "message"), Wire.text(error, "field"));
    }
}
