package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.event.Event;
import dev.signet.core.ids.Ids;
import dev.signet.core.json.Json;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.EventStore;
import dev.signet.core.store.EventTypeStore;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * {@code POST …/endpoints/{ep}/test} (openapi.yaml, endpoints): a sample event stored and
 * queued for this one endpoint, so it is signed, logged and retried like any other event. It ignores
 * the endpoint's event_types filter (the customer asked for it by name), but a disabled endpoint
 * gets 409: nothing would be delivered. A type in the event type catalog with an example carries that
 * example as its payload; any other type gets a {@link SampleEvents} payload.
 */
final class TestEventApi {
    private final EndpointStore endpoints;
    private final WorkspaceApi workspaces;
    private final EventStore events;
    private final DeliveryQueue queue;
    private final EventTypeStore catalog;
    private final Clock clock;

    TestEventApi(EndpointStore endpoints, WorkspaceApi workspaces, EventStore events, DeliveryQueue queue, EventTypeStore catalog,
                 Clock clock) {
        this.endpoints = endpoints;
        this.workspaces = workspaces;
        this.events = events;
        this.queue = queue;
        this.catalog = catalog;
        this.clock = clock;
    }

    ApiResponse send(Principal p, String workspaceId, String endpointId, ApiRequest request) {
        Access.adminOrSession(p, workspaceId);
        String generation = workspaces.generation(p, workspaceId);
        Body body = Body.of(request, Set.of("event"));
        String type = EndpointInput.eventType(body, "event", SampleEvents.DEFAULT_TYPE);
        Endpoint endpoint = endpoints.get(workspaceId, endpointId).orElseThrow(EndpointChanges::notFound);
        if (!endpoint.enabled()) {
            throw ApiException.conflict("the endpoint is disabled"
                    + (endpoint.disabledReason() == null ? "" : " (" + endpoint.disabledReason() + ")")
                    + "; enable it with PATCH {\"enabled\":true} before sending a test event");
        }
        SampleEvents.Sample builtIn = SampleEvents.of(type);
        SampleEvents.Sample sample = catalog.get(type).filter(t -> t.example() != null)
                .map(t -> new SampleEvents.Sample(builtIn.resource(), builtIn.resourceId(), t.example()))
                .orElse(builtIn);
        Instant now = clock.instant();
        Event event = new Event(Ids.newId("evt_", now), workspaceId, generation, type, now.truncatedTo(ChronoUnit.SECONDS),
                sample.resource(), sample.resourceId(), sample.payload(), List.of(endpointId));
        events.putEvent(event);
        queue.enqueue(List.of(DeliveryJob.run(event, endpointId, Progress.Trigger.TEST, now)));
        return ApiResponse.json(202, Json.object().put("id", event.id()));
    }
}
