package dev.signet.core.store;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;

import java.util.List;
import java.util.Optional;

/**
 * Accepted events and their delivery attempts, kept for the retention period. Reading the log across
 * events (pages, an endpoint's window) is {@link DeliveryLog}. Events and attempts are kept under their
 * workspace's generation: reads name it, and see nothing of another generation of the same id.
 */
public interface EventStore {
    void putEvent(Event event);

    /** Stores several events in as few calls as possible (ingest batches). */
    void putEvents(List<Event> events);

    Optional<Event> getEvent(String workspaceId, String generation, String eventId);

    void putAttempt(Attempt attempt);

    /** Every attempt of one event, oldest first. */
    List<Attempt> attemptsOf(String workspaceId, String generation, String eventId);

    /** The event and every attempt of it (oldest first), read together; empty if the event is unknown or expired. */
    Optional<EventHistory> history(String workspaceId, String generation, String eventId);

    record EventHistory(Event event, List<Attempt> attempts) {
        public EventHistory {
            attempts = List.copyOf(attempts);
        }
    }
}
