package dev.signet.management;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Attempt.DeliveryStatus;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.DeliveryLog;
import dev.signet.core.store.DeliveryLog.EndpointWindow;
import dev.signet.core.store.DeliveryLog.MissedEvents;
import dev.signet.core.store.DeliveryLog.WindowAttempt;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.EventStore.EventHistory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The work of one recover request: the failures of the window, and the events of the window that a
 * disabled endpoint missed (recorded on each event at ingest). It is bounded so the request answers before API Gateway gives up (30 s):
 * it reads at most {@link Limits#reads()} attempts of the window and stops queuing once
 * {@link Limits#time()} has passed, answering with where the next call resumes.
 *
 * <p>Events are taken in the order of their latest attempt in the window (attempt ids are unique and
 * time-ordered, so the order is stable), and a call always stops at the end of a millisecond of that
 * order: everything up to it has been decided, nothing after it has been touched. The next call's
 * window starts at the following millisecond, where none of the events this call queued has an
 * attempt, so calling again never queues an event twice for the same failure (a failure of the
 * recovered delivery itself is a new one).
 */
final class Recovery {
    /** How much one request may do. */
    record Limits(Duration time, int reads) {
        /** 20 s of work leaves room, within API Gateway's 30 s and the function's 28 s, for the last chunk and the answer. */
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(20), 50_000);
    }

    /** {@code resumeSince}: the {@code since} of the next call, or null when the whole window was recovered. */
    record Result(int queued, Instant resumeSince) {
    }

    /** Events whose histories are read at once, then queued together. */
    static final int CHUNK = 50;
    private static final Set<DeliveryStatus> FAILED = Set.of(DeliveryStatus.FAILED, DeliveryStatus.DEAD_LETTERED);

    private final EventStore events;
    private final DeliveryLog log;
    private final DeliveryQueue queue;
    private final Clock clock;
    private final Limits limits;

    Recovery(EventStore events, DeliveryLog log, DeliveryQueue queue, Clock clock, Limits limits) {
        this.events = events;
        this.log = log;
        this.queue = queue;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * Queues once every event whose latest attempt to the endpoint in [{@code since}, {@code until}]
     * failed or was dead-lettered and whose latest attempt overall still did, and every event of the
     * window that matched the endpoint while it was disabled and has never been sent to it, in time
     * order (a failure by its attempt's time, a missed event by its own), until the window or the
     * limits run out.
     */
    Result run(String workspaceId, String generation, String endpointId, Instant since, Instant until) {
        Instant deadline = clock.instant().plus(limits.time());
        EndpointWindow window = log.endpointWindow(workspaceId, generation, endpointId, since, until, limits.reads());
        MissedEvents missed = log.missedEvents(workspaceId, generation, endpointId, since, until, limits.reads());
        // Both reads are complete up to the earlier of their ends: decide only that far this call.
        Instant readThrough = window.readThrough().isBefore(missed.readThrough()) ? window.readThrough() : missed.readThrough();
        boolean complete = window.complete() && missed.complete();
        List<Item> items = new ArrayList<>();
        for (WindowAttempt a : window.latest()) {
            if (FAILED.contains(a.deliveryStatus()) && !Ids.timeOf(a.attemptId()).isAfter(readThrough)) {
                items.add(new Item(a.attemptId(), a.eventId(), false));
            }
        }
        for (String eventId : missed.eventIds()) {
            if (!Ids.timeOf(eventId).isAfter(readThrough)) {
                items.add(new Item(eventId, eventId, true));
            }
        }
        items.sort(Comparator.comparing((Item i) -> Ids.timeOf(i.id())).thenComparing(Item::id));
        Range decided = new Range(Ids.lowestAt("att_", since), Ids.highestAt("att_", until), Ids.highestAt("att_", readThrough));
        Set<String> queuedEvents = new HashSet<>();
        int queued = 0;
        for (int from = 0; from < items.size(); ) {
            if (from > 0 && !clock.instant().isBefore(deadline)) {
                return new Result(queued, Ids.timeOf(items.get(from - 1).id()).plusMillis(1));
            }
            int to = chunkEnd(items, from);
            Map<String, EventHistory> histories = histories(workspaceId, generation,
                    items.subList(from, to).stream().map(Item::eventId).distinct().toList());
            List<DeliveryJob> jobs = new ArrayList<>();
            for (Item item : items.subList(from, to)) {
                EventHistory h = histories.get(item.eventId());
                boolean due = h != null && (item.missed() ? neverSentTo(h, endpointId) : decided.stillFailed(h, endpointId));
                if (due && queuedEvents.add(item.eventId())) {
                    jobs.add(DeliveryJob.run(h.event(), endpointId, Progress.Trigger.RECOVER, clock.instant()));
                }
            }
            queue.enqueue(jobs);
            queued += jobs.size();
            from = to;
        }
        return new Result(queued, complete ? null : readThrough.plusMillis(1));
    }

    /**
     * What one call decides, in time order: a failed delivery (its latest attempt's id) or an event a
     * disabled endpoint missed (its own id); both ids are ULIDs, so their times compare.
     */
    private record Item(String id, String eventId, boolean missed) {
    }

    /**
     * A missed event is due while nothing was ever sent of it to the endpoint: once recover has queued
     * it, its attempts decide (a failed one is recovered as a failure, by its attempt's time).
     */
    private static boolean neverSentTo(EventHistory h, String endpointId) {
        return h.attempts().stream().noneMatch(a -> a.endpointId().equals(endpointId));
    }

    /** A chunk ends between two milliseconds, so a call that stops after it resumes at the next one. */
    private static int chunkEnd(List<Item> items, int from) {
        int to = Math.min(from + CHUNK, items.size());
        while (to < items.size() && Ids.timeOf(items.get(to).id()).equals(Ids.timeOf(items.get(to - 1).id()))) {
            to++;
        }
        return to;
    }

    /**
     * The window as attempt ids, and how far this call read it ({@code readTo}): an event is this
     * call's to decide only if its latest attempt in the window is at or before {@code readTo}; one
     * whose latest lies beyond (read as failed, then retried later in the window) belongs to a later call.
     */
    private record Range(String from, String to, String readTo) {
        boolean stillFailed(EventHistory h, String endpointId) {
            List<Attempt> toEndpoint = h.attempts().stream().filter(a -> a.endpointId().equals(endpointId)).toList();
            Optional<Attempt> latest = toEndpoint.stream().max(Comparator.comparing(Attempt::id));
            Optional<Attempt> latestInWindow = toEndpoint.stream()
                    .filter(a -> a.id().compareTo(from) >= 0 && a.id().compareTo(to) <= 0)
                    .max(Comparator.comparing(Attempt::id));
            return latest.isPresent() && FAILED.contains(latest.get().deliveryStatus())
                    && latestInWindow.isPresent() && latestInWindow.get().id().compareTo(readTo) <= 0
                    && FAILED.contains(latestInWindow.get().deliveryStatus());
        }
    }

    /** The histories of these events by id (expired ones are left out), read concurrently. */
    private Map<String, EventHistory> histories(String workspaceId, String generation, List<String> eventIds) {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<EventHistory>>> reads = new ArrayList<>();
            for (String eventId : eventIds) {
                reads.add(pool.submit(() -> events.history(workspaceId, generation, eventId)));
            }
            Map<String, EventHistory> out = new HashMap<>();
            for (Future<Optional<EventHistory>> read : reads) {
                read.get().ifPresent(h -> out.put(h.event().id(), h));
            }
            return out;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading events to recover", e);
        }
    }
}
