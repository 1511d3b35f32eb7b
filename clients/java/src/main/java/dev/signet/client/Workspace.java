package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** A customer's workspace (README.md, "Using the API"). */
public record Workspace(String id, String name, Instant createdAt) {
    static Workspace from(JsonNode n) {
        return new Workspace(Wire.text(n, "id"), Wire.text(n, "name"), Wire.instant(n, "created_at"));
    }
}
