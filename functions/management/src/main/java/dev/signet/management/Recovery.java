package dev.signet.management;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Attempt.DeliveryStatus;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.DeliveryLog;
import dev.signet.core.store.DeliveryLog.EndpointWindow;
import dev.signet.core.store.DeliveryLog.WindowAttempt;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.EventStore.EventHistory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The work of one recover request, bounded so the request answers before API Gateway gives up (30 s):
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
     * failed or was dead-lettered and whose latest attempt overall still did, in the order of those
     * attempts, until the window or the limits run out.
     */
    Result run(String workspaceId, String endpointId, Instant since, Instant until) {
        Instant deadline = clock.instant().plus(limits.time());
        EndpointWindow window = log.endpointWindow(workspaceId, endpointId, since, until, limits.reads());
        List<WindowAttempt> failed = window.latest().stream().filter(a -> FAILED.contains(a.deliveryStatus())).toList();
        Range decided = new Range(Ids.lowestAt("att_", since), Ids.highestAt("att_", until), Ids.highestAt("att_", window.readThrough()));
        int queued = 0;
        for (int from = 0; from < failed.size(); ) {
            if (from > 0 && !clock.instant().isBefore(deadline)) {
                return new Result(queued, Ids.timeOf(failed.get(from - 1).attemptId()).plusMillis(1));
            }
            int to = chunkEnd(failed, from);
            List<DeliveryJob> jobs = new ArrayList<>();
            for (EventHistory h : histories(workspaceId, failed.subList(from, to))) {
                if (decided.stillFailed(h, endpointId)) {
                    jobs.add(DeliveryJob.run(h.event(), endpointId, Progress.Trigger.RECOVER, clock.instant()));
                }
            }
            queue.enqueue(jobs);
            queued += jobs.size();
            from = to;
        }
        return new Result(queued, window.complete() ? null : window.readThrough().plusMillis(1));
    }

    /** A chunk ends between two milliseconds, so a call that stops after it resumes at the next one. */
    private static int chunkEnd(List<WindowAttempt> failed, int from) {
        int to = Math.min(from + CHUNK, failed.size());
        while (to < failed.size() && Ids.timeOf(failed.get(to).attemptId()).equals(Ids.timeOf(failed.get(to - 1).attemptId()))) {
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

    /** The histories of these events, in the order given (expired events are left out), read concurrently. */
    private List<EventHistory> histories(String workspaceId, List<WindowAttempt> attempts) {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<EventHistory>>> reads = new ArrayList<>();
            for (WindowAttempt a : attempts) {
                reads.add(pool.submit(() -> events.history(workspaceId, a.eventId())));
            }
            List<EventHistory> out = new ArrayList<>();
            for (Future<Optional<EventHistory>> read : reads) {
                read.get().ifPresent(out::add);
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
