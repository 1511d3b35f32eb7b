package dev.signet.core.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.ids.Ids;
import dev.signet.core.log.Log;
import dev.signet.core.log.Metrics;
import dev.signet.core.store.ConfigStore;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EventStore;
import dev.signet.core.workspace.Workspace;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Accepts validated events for a workspace: stores each one, then queues one delivery job per enabled
 * endpoint whose filter matches (README, "Emit events"). It works in two steps so that an interrupted
 * intake can be finished later exactly: {@link #plan} fixes the events (ids, time, target endpoints)
 * and so the jobs, in a fixed order; {@link #carryOut} stores the events, then sends the jobs not yet
 * queued and reports its {@link Progress}. The events are written before their jobs are sent, so
 * every queued job refers to a stored event. The ingest function takes the product's events through
 * it (via {@link IdempotentIngest}), and the delivery function the operator's notifications.
 *
 * <p>An event that matches a disabled endpoint's filter records that endpoint on its own item
 * ({@link Event#missedEndpointIds()}, no extra write), so recover can send it there later.
 */
public final class EventIntake {
    private final ConfigStore endpoints;
    private final EventStore events;
    private final DeliveryFanOut fanOut;
    private final Clock clock;
    private final String function;

    /** @param function the metrics' {@code Function} dimension of the caller (ingest, delivery) */
    public EventIntake(ConfigStore endpoints, EventStore events, DeliveryQueue queue, Clock clock, String function) {
        this.endpoints = endpoints;
        this.events = events;
        this.fanOut = new DeliveryFanOut(queue, clock);
        this.clock = clock;
        this.function = function;
    }

    /** What ingest reports for one accepted event. */
    public record Accepted(String eventId, int deliveries) {
    }

    /** The events an intake accepts, with the endpoints each goes to. */
    public record Plan(String workspaceId, String generation, List<Event> events) {
        public Plan {
            events = List.copyOf(events);
        }

        /** One job per event and endpoint, always in this order: progress refers to jobs by index. */
        public List<DeliveryJob> jobs() {
            List<DeliveryJob> jobs = new ArrayList<>();
            for (Event e : events) {
                e.endpointIds().forEach(ep -> jobs.add(DeliveryJob.of(e, ep)));
            }
            return jobs;
        }

        public int deliveries() {
            return events.stream().mapToInt(e -> e.endpointIds().size()).sum();
        }

        public List<Accepted> accepted() {
            return events.stream().map(e -> new Accepted(e.id(), e.endpointIds().size())).toList();
        }
    }

    /** How much of a plan is done: whether its events are stored, and which of its jobs are queued. */
    public record Progress(boolean eventsStored, BitSet queued) {
        public static final Progress NONE = new Progress(false, new BitSet());

        public Progress {
            queued = (BitSet) queued.clone();
        }

        @Override
        public BitSet queued() {
            return (BitSet) queued.clone();
        }

        public int queuedCount() {
            return queued.cardinality();
        }

        public boolean completes(Plan plan) {
            return eventsStored && queued.cardinality() == plan.deliveries();
        }
    }

    /**
     * Stores and queues {@code inputs} at once, in the workspace's current generation; throws if any
     * delivery could not be queued. Nothing is stored for a workspace that does not exist.
     */
    public List<Accepted> accept(String workspaceId, List<EventInput> inputs) {
        Workspace workspace = endpoints.get(workspaceId).orElse(null);
        if (workspace == null) {
            Log.warn("events not accepted: no such workspace", f -> f.put("workspace_id", workspaceId));
            return List.of();
        }
        Plan plan = plan(workspaceId, workspace.generation(), inputs);
        Progress done = carryOut(plan, Progress.NONE, Instant.MAX);
        if (!done.completes(plan)) {
            throw new IllegalStateException((plan.deliveries() - done.queuedCount()) + " of " + plan.deliveries() + " deliveries were not queued");
        }
        return plan.accepted();
    }

    /**
     * Fixes each event's id and time, the enabled endpoints whose filter it matches now, and the
     * disabled ones it would have gone to. Writes nothing.
     */
    public Plan plan(String workspaceId, String generation, List<EventInput> inputs) {
        List<Endpoint> candidates = inputs.isEmpty() ? List.of() : endpoints.list(workspaceId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<Event> planned = new ArrayList<>(inputs.size());
        for (EventInput input : inputs) {
            // Sorted, so a checkpoint that keeps them as a set gives back the same jobs in the same order.
            List<String> targets = candidates.stream().filter(e -> e.wants(input.type())).map(Endpoint::id).sorted().toList();
            List<String> missed = candidates.stream().filter(e -> !e.enabled() && e.matches(input.type()))
                    .map(Endpoint::id).sorted().toList();
            planned.add(new Event(Ids.newId("evt_", clock.instant()), workspaceId, generation, input.type(), now,
                    input.resource(), input.resourceId(), input.payload(), targets, missed));
        }
        return new Plan(workspaceId, generation, planned);
    }

    /**
     * Does what is left of {@code plan} after {@code done}: stores the events unless already stored,
     * then queues the jobs not yet queued, starting sends only until {@code deadline}. A failed send
     * does not throw: the progress returned says what is still missing. A failed event write throws
     * (nothing was queued by this call then).
     */
    public Progress carryOut(Plan plan, Progress done, Instant deadline) {
        boolean storedNow = false;
        if (!done.eventsStored() && !plan.events().isEmpty()) {
            if (plan.events().size() == 1) {
                events.putEvent(plan.events().getFirst());
            } else {
                events.putEvents(plan.events());
            }
            storedNow = true;
        }
        DeliveryFanOut.Sent sent = fanOut.send(plan.jobs(), done.queued(), deadline);
        Progress now = new Progress(true, sent.queued());
        int queuedNow = now.queuedCount() - done.queuedCount();
        if (!now.completes(plan)) {
            Consumer<ObjectNode> fields = f -> f.put("workspace_id", plan.workspaceId()).put("deliveries", plan.deliveries())
                    .put("queued", now.queuedCount());
            if (sent.failure() != null) {
                Log.error("deliveries not queued", sent.failure(), fields);
            } else {
                Log.warn("deliveries not queued before the deadline", fields);
            }
        }
        int eventsNow = storedNow ? plan.events().size() : 0;
        if (eventsNow > 0 || queuedNow > 0) {
            Metrics.emit(function, f -> f.put("workspace_id", plan.workspaceId()),
                    Metrics.count("EventsIngested", eventsNow), Metrics.count("DeliveriesQueued", queuedNow));
        }
        return now;
    }
}
