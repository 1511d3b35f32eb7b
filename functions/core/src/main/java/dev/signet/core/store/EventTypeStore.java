package dev.signet.core.store;

import dev.signet.core.catalog.EventType;

import java.util.List;
import java.util.Optional;

/** The event type catalog: one per deployment, the same for every workspace. */
public interface EventTypeStore {
    /** Saves the type, replacing one of the same name; true if it is new. */
    boolean put(EventType type);

    Optional<EventType> get(String name);

    /** Every type, by name. */
    List<EventType> list();

    /** Removes the type; false if there was none. */
    boolean delete(String name);
}
