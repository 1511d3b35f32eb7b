package dev.signet.testkit;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.DeliveryLog;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * The delivery log read from an {@link InMemoryEventStore}'s attempts, the way the DynamoDB adapter
 * reads its indexes: pages newest first strictly below the cursor, a window by attempt id (so by the
 * time the attempt was made, to the millisecond), cut at the same place through
 * {@link EndpointWindow#collect}.
 */
public final class InMemoryDeliveryLog implements DeliveryLog {
    private final Faults faults = new Faults();
    private final InMemoryEventStore events;

    public InMemoryDeliveryLog(InMemoryEventStore events) {
        this.events = events;
    }

    /** Failures to inject into this port's operations (by method name). */
    public Faults faults() {
        return faults;
    }

    @Override
    public AttemptLogPage attempts(AttemptLogQuery q) {
        faults.check("attempts");
        if (q.limit() < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        List<Attempt> matching = events.attempts().stream()
                .filter(a -> a.workspaceId().equals(q.workspaceId()) && a.generation().equals(q.generation()))
                .filter(a -> q.endpointId() == null || a.endpointId().equals(q.endpointId()))
                .filter(a -> q.eventId() == null || a.eventId().equals(q.eventId()))
                .filter(a -> q.status() == null || a.status() == q.status())
                .filter(a -> q.before() == null || a.id().compareTo(q.before()) < 0)
                .sorted(Comparator.comparing(Attempt::id).reversed()).toList();
        List<Attempt> page = matching.subList(0, Math.min(q.limit(), matching.size()));
        return new AttemptLogPage(page, matching.size() > q.limit() ? page.getLast().id() : null);
    }

    @Override
    public EndpointWindow endpointWindow(String workspaceId, String generation, String endpointId, Instant since, Instant until,
                                         int maxAttempts) {
        faults.check("endpointWindow");
        String lo = Ids.lowestAt("att_", since);
        String hi = Ids.highestAt("att_", until);
        var oldestFirst = events.attempts().stream()
                .filter(a -> a.workspaceId().equals(workspaceId) && a.generation().equals(generation) && a.endpointId().equals(endpointId))
                .filter(a -> a.id().compareTo(lo) >= 0 && a.id().compareTo(hi) <= 0)
                .sorted(Comparator.comparing(Attempt::id))
                .map(a -> new WindowAttempt(a.eventId(), a.id(), a.deliveryStatus()))
                .iterator();
        return EndpointWindow.collect(oldestFirst, until, maxAttempts);
    }

    @Override
    public MissedEvents missedEvents(String workspaceId, String generation, String endpointId, Instant since, Instant until, int maxEvents) {
        faults.check("missedEvents");
        String lo = Ids.lowestAt("evt_", since);
        String hi = Ids.highestAt("evt_", until);
        var oldestFirst = events.storedEvents().stream()
                .filter(e -> e.workspaceId().equals(workspaceId) && e.generation().equals(generation))
                .filter(e -> e.missedEndpointIds().contains(endpointId))
                .filter(e -> e.id().compareTo(lo) >= 0 && e.id().compareTo(hi) <= 0)
                .map(Event::id).sorted().iterator();
        return MissedEvents.collect(oldestFirst, until, maxEvents);
    }
}
