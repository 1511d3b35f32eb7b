package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

/** An accepted event: its id ({@code evt_…}, the receivers' {@code webhook-id}) and how many deliveries were queued. */
public record Emitted(String id, int deliveries) implements BatchItem {
    static Emitted from(JsonNode n) {
        return new Emitted(Wire.text(n, "id"), (int) Wire.number(n, "deliveries"));
    }
}
