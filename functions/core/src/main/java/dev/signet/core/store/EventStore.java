package dev.signet.core.store;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;

import java.time.Instant;
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

    /** The event and every attempt of it (oldest first), read together; empty if the event is unknown or expired. */
    Optional<EventHistory> history(String workspaceId, String eventId);

    /**
     * One page of a workspace's delivery log, newest first. Attempt ids are time-ordered, so a page
     * continues strictly below {@link AttemptLogQuery#before()}: attempts written meanwhile (newer ids)
     * never shift a page, and no attempt is returned twice.
     */
    AttemptLogPage attemptLog(AttemptLogQuery query);

    /**
     * Per event, the latest attempt to one endpoint whose id falls in [{@code since}, {@code until}]
     * (both inclusive, to the millisecond), ordered by event id (so by event time). Reads at most
     * {@code maxAttempts} attempts; {@link EndpointWindow#complete()} says whether the window held more.
     */
    EndpointWindow latestAttemptsToEndpoint(String workspaceId, String endpointId, Instant since, Instant until, int maxAttempts);

    record EventHistory(Event event, List<Attempt> attempts) {
        public EventHistory {
            attempts = List.copyOf(attempts);
        }
    }

    /**
     * What to read: null filters are not applied. {@code before} is an attempt id (exclusive) where the
     * previous page stopped, or null for the newest.
     */
    record AttemptLogQuery(String workspaceId, String endpointId, String eventId, Attempt.Status status,
                           String before, int limit) {
    }

    /**
     * A page, newest first. {@code continueBefore} is the attempt id to pass as the next page's
     * {@code before}, or null when the log holds nothing further. A page may be shorter than asked
     * (even empty) with a non-null {@code continueBefore} when a sparse filter made it read too much.
     */
    record AttemptLogPage(List<Attempt> attempts, String continueBefore) {
        public AttemptLogPage {
            attempts = List.copyOf(attempts);
        }
    }

    record LatestAttempt(String eventId, String attemptId, Attempt.DeliveryStatus deliveryStatus) {
    }

    record EndpointWindow(List<LatestAttempt> latest, boolean complete) {
        public EndpointWindow {
            latest = List.copyOf(latest);
        }
    }
}
