package dev.signet.testkit;

import dev.signet.core.catalog.EventType;
import dev.signet.core.store.EventTypeStore;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** The event type catalog in memory, sorted by name like the DynamoDB partition. Counts list reads. */
public final class InMemoryEventTypeStore implements EventTypeStore {
    private final Faults faults = new Faults();
    private final ConcurrentSkipListMap<String, EventType> types = new ConcurrentSkipListMap<>();
    private final AtomicLong lists = new AtomicLong();

    public Faults faults() {
        return faults;
    }

    /** How often the whole catalog was read. */
    public long lists() {
        return lists.get();
    }

    @Override
    public boolean put(EventType type) {
        faults.check("put");
        return types.put(type.name(), type) == null;
    }

    @Override
    public Optional<EventType> get(String name) {
        faults.check("get");
        return Optional.ofNullable(types.get(name));
    }

    @Override
    public List<EventType> list() {
        faults.check("list");
        lists.incrementAndGet();
        return List.copyOf(types.values());
    }

    @Override
    public boolean delete(String name) {
        faults.check("delete");
        return types.remove(name) != null;
    }
}
