package dev.signet.core.store;

import dev.signet.core.event.Attempt;
import dev.signet.core.ids.Ids;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reading the delivery log: a workspace's attempts page by page, newest first, and the attempts to one
 * endpoint in a time window, for recover. Attempts are written through {@link EventStore}; an event's
 * own history is {@link EventStore#history}.
 */
public interface DeliveryLog {
    /**
     * One page of a workspace's delivery log, newest first. Attempt ids are time-ordered, so a page
     * continues strictly below {@link AttemptLogQuery#before()}: attempts written meanwhile (newer ids)
     * never shift a page, and no attempt is returned twice.
     */
    AttemptLogPage attempts(AttemptLogQuery query);

    /**
     * Per event, the latest attempt to one endpoint whose id falls in [{@code since}, {@code until}]
     * (both inclusive, to the millisecond), read oldest first. Reads about {@code maxAttempts} attempts
     * at most: if the window holds more, reading stops at the end of a millisecond
     * ({@link EndpointWindow#readThrough()}), so a later read from the next millisecond on misses nothing.
     */
    EndpointWindow endpointWindow(String workspaceId, String generation, String endpointId, Instant since, Instant until, int maxAttempts);

    /**
     * The events of [{@code since}, {@code until}] (by event id, to the millisecond) that matched the
     * endpoint's filter while it was disabled, and so were never queued for it, oldest first. Reads
     * about {@code maxEvents} at most, stopping at the end of a millisecond as {@link #endpointWindow} does.
     */
    MissedEvents missedEvents(String workspaceId, String generation, String endpointId, Instant since, Instant until, int maxEvents);

    /**
     * What to read: null filters are not applied. {@code before} is an attempt id (exclusive) where the
     * previous page stopped, or null for the newest.
     */
    record AttemptLogQuery(String workspaceId, String generation, String endpointId, String eventId, Attempt.Status status,
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

    /** One attempt to the endpoint, as recover needs it. */
    record WindowAttempt(String eventId, String attemptId, Attempt.DeliveryStatus deliveryStatus) {
    }

    /**
     * The latest attempt of each event read, ordered by that attempt's id (oldest first).
     * {@code readThrough}: every attempt of the window up to the end of this millisecond was read; the
     * window's {@code until} when {@code complete}.
     */
    record EndpointWindow(List<WindowAttempt> latest, boolean complete, Instant readThrough) {
        public EndpointWindow {
            latest = List.copyOf(latest);
        }

        /**
         * Keeps the last attempt of each event from attempts read oldest first; after {@code maxAttempts},
         * reads on to the end of the current millisecond and stops there. Every adapter reads its window
         * through this, so they all cut a long window at the same place.
         */
        public static EndpointWindow collect(Iterator<WindowAttempt> oldestFirst, Instant until, int maxAttempts) {
            Cut<WindowAttempt> cut = Cut.of(oldestFirst, WindowAttempt::attemptId, maxAttempts);
            Map<String, WindowAttempt> latest = new HashMap<>();
            cut.read().forEach(a -> latest.put(a.eventId(), a));
            return new EndpointWindow(byAttempt(latest), cut.stoppedAt() == null, cut.stoppedAt() == null ? until : cut.stoppedAt());
        }

        private static List<WindowAttempt> byAttempt(Map<String, WindowAttempt> latest) {
            return latest.values().stream().sorted(Comparator.comparing(WindowAttempt::attemptId)).toList();
        }
    }

    /**
     * Event ids oldest first; {@code readThrough}: every such event of the window up to the end of this
     * millisecond was read, the window's {@code until} when {@code complete}.
     */
    record MissedEvents(List<String> eventIds, boolean complete, Instant readThrough) {
        public MissedEvents {
            eventIds = List.copyOf(eventIds);
        }

        /** Takes event ids read oldest first; after {@code maxEvents}, reads on to the end of the current millisecond. */
        public static MissedEvents collect(Iterator<String> oldestFirst, Instant until, int maxEvents) {
            Cut<String> cut = Cut.of(oldestFirst, id -> id, maxEvents);
            return new MissedEvents(cut.read(), cut.stoppedAt() == null, cut.stoppedAt() == null ? until : cut.stoppedAt());
        }
    }

    /**
     * Items read oldest first (by their time-ordered id): at least {@code max}, then on to the end of that
     * millisecond, so a later read from the next millisecond misses nothing. {@code stoppedAt} is that
     * millisecond, or null when everything was read.
     */
    record Cut<T>(List<T> read, Instant stoppedAt) {
        static <T> Cut<T> of(Iterator<T> oldestFirst, java.util.function.Function<T, String> idOf, int max) {
            if (max < 1) {
                throw new IllegalArgumentException("the read limit must be positive");
            }
            List<T> read = new java.util.ArrayList<>();
            Instant millisecond = null;
            while (oldestFirst.hasNext()) {
                T item = oldestFirst.next();
                Instant at = Ids.timeOf(idOf.apply(item));
                if (read.size() >= max && !at.equals(millisecond)) {
                    return new Cut<>(read, millisecond);
                }
                read.add(item);
                millisecond = at;
            }
            return new Cut<>(read, null);
        }
    }
}
