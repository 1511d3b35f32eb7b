package dev.signet.client;

import dev.signet.client.Transport.Call;

import java.util.List;

/** The product's event type catalog (one per deployment), with the admin key. */
public final class EventTypes {
    private final Transport transport;

    EventTypes(Transport transport) {
        this.transport = transport;
    }

    /** Creates or replaces the type {@code name} (e.g. {@code order.completed}). */
    public EventType put(String name, EventTypeDefinition definition) {
        return EventType.from(transport.send(Call.put(path(name), definition.body())).body());
    }

    public EventType get(String name) {
        return EventType.from(transport.send(Call.get(path(name))).body());
    }

    /** Every type, by name. */
    public List<EventType> list() {
        return Wire.list(transport.send(Call.get("/v1/event-types")).body(), "data", EventType::from);
    }

    /** Removes the type from the catalog; endpoints subscribed to it keep their filter. */
    public void delete(String name) {
        transport.send(Call.delete(path(name)));
    }

    private static String path(String name) {
        return "/v1/event-types/" + Transport.segment(name);
    }
}
