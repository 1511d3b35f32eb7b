package dev.signet.client;

import java.util.Objects;

/**
 * An event to emit: its type (e.g. {@code order.completed}), its payload (a JSON object) and,
 * optionally, the resource it is about. The payload is written by the client's Jackson mapper, so it
 * may be a {@code JsonNode}, a {@code Map} or one of your own classes; a
 * {@code com.fasterxml.jackson.databind.util.RawValue} is sent as the exact JSON text it holds.
 *
 * <pre>{@code
 * NewEvent.of("order.completed", Map.of("order_id", "ord_lannister_77")).about("order", "ord_lannister_77")
 * }</pre>
 */
public record NewEvent(String event, Object payload, String resource, String resourceId) {
    public NewEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(payload, "payload");
    }

    public static NewEvent of(String event, Object payload) {
        return new NewEvent(event, payload, null, null);
    }

    /** The same event, about this resource (e.g. {@code "order", "ord_lannister_77"}). */
    public NewEvent about(String resource, String resourceId) {
        return new NewEvent(event, payload, resource, resourceId);
    }

    Object body() {
        return Transport.object("event", event, "resource", resource, "resource_id", resourceId, "payload", payload);
    }
}
