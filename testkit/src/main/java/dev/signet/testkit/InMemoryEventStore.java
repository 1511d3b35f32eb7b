package dev.signet.testkit;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.store.EventStore;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events and their attempts in memory. Attempts are kept in the order written (or only counted, for
 * long benchmark runs); an attempt written again under the same id replaces the earlier one, as a
 * DynamoDB put of the same key does.
 */
public final class InMemoryEventStore implements EventStore {
    private final Faults faults = new Faults();
    private final Map<String, Event> events = new ConcurrentHashMap<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicLong attemptWrites = new AtomicLong();
    private volatile boolean keepAttempts = true;

    /** Counts attempts without keeping them. */
    public InMemoryEventStore discardAttempts() {
        keepAttempts = false;
        return this;
    }

    /** Every attempt written, oldest first. */
    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public long attemptWrites() {
        return attemptWrites.get();
    }

    /** Every event stored, in no particular order. */
    public List<Event> storedEvents() {
        return List.copyOf(events.values());
    }

    private static String key(String workspaceId, String generation, String eventId) {
        return workspaceId + "/" + generation + "/" + eventId;
    }

    /** Failures to inject into this port's operations (by method name). */
    public Faults faults() {
        return faults;
    }

    @Override
    public void putEvent(Event event) {
        faults.check("putEvent");
        events.put(key(event.workspaceId(), event.generation(), event.id()), event);
    }

    @Override
    public void putEvents(List<Event> list) {
        list.forEach(this::putEvent);
    }

    @Override
    public Optional<Event> getEvent(String workspaceId, String generation, String eventId) {
        faults.check("getEvent");
        return Optional.ofNullable(events.get(key(workspaceId, generation, eventId)));
    }

    @Override
    public synchronized void putAttempt(Attempt attempt) {
        faults.check("putAttempt");
        attemptWrites.incrementAndGet();
        if (keepAttempts) {
            attempts.removeIf(a -> a.id().equals(attempt.id()));
            attempts.add(attempt);
        }
    }

    @Override
    public List<Attempt> attemptsOf(String workspaceId, String generation, String eventId) {
        return attempts.stream().filter(a -> a.workspaceId().equals(workspaceId) && a.generation().equals(generation)
                        && a.eventId().equals(eventId))
                .sorted(Comparator.comparing(Attempt::id)).toList();
    }

    @Override
    public Optional<EventHistory> history(String workspaceId, String generation, String eventId) {
        faults.check("history");
        return getEvent(workspaceId, generation, eventId).map(e -> new EventHistory(e, attemptsOf(workspaceId, generation, eventId)));
    }
}
