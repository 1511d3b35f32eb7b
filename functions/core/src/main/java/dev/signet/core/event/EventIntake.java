package dev.signet.core.event;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.ids.Ids;
import dev.signet.core.log.Metrics;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.EventStore;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Accepts validated events for a workspace: stores each one, then queues one delivery job per enabled
 * endpoint whose filter matches (CONTRACT §2). The event is written before its jobs are sent, so every
 * queued job refers to a stored event; if sending fails the caller gets an error and may retry.
 * The ingest function takes the product's events through it, and the delivery function the
 * operator's notifications.
 */
public final class EventIntake {
    private final EndpointStore endpoints;
    private final EventStore events;
    private final DeliveryQueue queue;
    private final Clock clock;
    private final String function;

    /** @param function the metrics' {@code Function} dimension of the caller (ingest, delivery) */
    public EventIntake(EndpointStore endpoints, EventStore events, DeliveryQueue queue, Clock clock, String function) {
        this.endpoints = endpoints;
        this.events = events;
        this.queue = queue;
        this.clock = clock;
        this.function = function;
    }

    /** What ingest reports for one accepted event. */
    public record Accepted(String eventId, int deliveries) {
    }

    public List<Accepted> accept(String workspaceId, List<EventInput> inputs) {
        if (inputs.isEmpty()) {
            return List.of();
        }
        List<Endpoint> candidates = endpoints.list(workspaceId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        List<Event> accepted = new ArrayList<>(inputs.size());
        List<DeliveryJob> jobs = new ArrayList<>();
        for (EventInput input : inputs) {
            List<String> targets = candidates.stream().filter(e -> e.wants(input.type())).map(Endpoint::id).toList();
            Event event = new Event(Ids.newId("evt_", clock.instant()), workspaceId, input.type(), now,
                    input.resource(), input.resourceId(), input.payload(), targets);
            accepted.add(event);
            targets.forEach(ep -> jobs.add(DeliveryJob.of(event, ep)));
        }
        if (accepted.size() == 1) {
            events.putEvent(accepted.getFirst());
        } else {
            events.putEvents(accepted);
        }
        queue.enqueue(jobs);
        Metrics.emit(function, f -> f.put("workspace_id", workspaceId),
                Metrics.count("EventsIngested", accepted.size()), Metrics.count("DeliveriesQueued", jobs.size()));
        return accepted.stream().map(e -> new Accepted(e.id(), e.endpointIds().size())).toList();
    }
}
