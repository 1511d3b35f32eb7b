package dev.signet.core.store;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;

import java.util.List;
import java.util.Optional;

/** Accepted events and their delivery attempts, kept for the retention period. */
public interface EventStore {
    void putEvent(Event event);

    /** Stores several events in as few calls as possible (ingest batches). */
    void putEvents(List<Event> events);

    Optional<Event> getEvent(String workspaceId, String eventId);

    void putAttempt(Attempt attempt);

    /** Every attempt of one event, oldest first. */
    List<Attempt> attemptsOf(String workspaceId, String eventId);
}
