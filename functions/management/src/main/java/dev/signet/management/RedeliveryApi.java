package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.event.Event;
import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.EventStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Retry and recover (openapi.yaml; README.md, "Delivery log, retry and recover"): queue an event again
 * through the normal deliveries queue, as the same {@link DeliveryJob} ingest queued, so it is signed,
 * logged and retried like the first time and keeps its {@code webhook-id}. Only enabled endpoints that
 * still exist are queued: a disabled or deleted endpoint would only log an abandoned attempt.
 */
final class RedeliveryApi {
    private final EndpointStore endpoints;
    private final WorkspaceApi workspaces;
    private final EventStore events;
    private final DeliveryQueue queue;
    private final Recovery recovery;
    private final Duration retention;
    private final Clock clock;

    RedeliveryApi(EndpointStore endpoints, WorkspaceApi workspaces, EventStore events, DeliveryQueue queue, Recovery recovery,
                  Duration retention, Clock clock) {
        this.endpoints = endpoints;
        this.workspaces = workspaces;
        this.events = events;
        this.queue = queue;
        this.recovery = recovery;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * {@code POST …/events/{evt}/retry}: to the given endpoint, which must be one the event was fanned
     * out to (an event is never sent to an endpoint that did not subscribe to it), or else to every
     * endpoint it was fanned out to that still exists and is enabled.
     */
    ApiResponse retry(Principal p, String workspaceId, String eventId, ApiRequest request) {
        Access.adminOrSession(p, workspaceId);
        Body body = Body.of(request, Set.of("endpoint_id"));
        String endpointId = body.string("endpoint_id", null);
        if (endpointId != null && !DeliveryLogApi.ID.matcher(endpointId).matches()) {
            throw ApiException.invalid("endpoint_id", "endpoint_id must be an endpoint id such as ep_…");
        }
        if (!DeliveryLogApi.ID.matcher(eventId).matches()) {
            throw DeliveryLogApi.noSuchEvent();
        }
        Event event = events.getEvent(workspaceId, workspaces.generation(p, workspaceId), eventId).orElseThrow(DeliveryLogApi::noSuchEvent);
        Map<String, Endpoint> existing = endpoints.list(workspaceId).stream()
                .collect(Collectors.toMap(Endpoint::id, Function.identity()));
        List<String> targets;
        if (endpointId != null) {
            if (!event.endpointIds().contains(endpointId)) {
                throw ApiException.notFound("endpoint_id " + endpointId + " is not an endpoint this event was sent to");
            }
            Endpoint endpoint = existing.get(endpointId);
            if (endpoint == null) {
                throw ApiException.notFound("endpoint_id " + endpointId + " no longer exists");
            }
            requireEnabled(endpoint);
            targets = List.of(endpointId);
        } else {
            targets = event.endpointIds().stream()
                    .filter(ep -> existing.containsKey(ep) && existing.get(ep).enabled())
                    .toList();
        }
        queue.enqueue(targets.stream().map(ep -> DeliveryJob.run(event, ep, Progress.Trigger.RETRY, clock.instant())).toList());
        return ApiResponse.json(202, LogViews.queued(targets.size()));
    }

    /**
     * {@code POST …/endpoints/{ep}/recover}: every event whose latest attempt to this endpoint within
     * the window failed or was dead-lettered, and whose latest attempt overall (a retry may have
     * followed) still did, and every event of the window that matched the endpoint's filter while it
     * was disabled, is queued once, in time order. A window too long for one request is answered with
     * {@code resume_since} ({@link Recovery}).
     */
    ApiResponse recover(Principal p, String workspaceId, String endpointId, ApiRequest request) {
        Access.adminOrSession(p, workspaceId);
        Body body = Body.of(request, Set.of("since", "until"));
        Instant since = instant(body.requiredString("since"), "since");
        String untilText = body.string("until", null);
        Instant until = untilText == null ? clock.instant() : instant(untilText, "until");
        if (until.isBefore(since)) {
            throw ApiException.invalid("until", "until must not be before since");
        }
        if (Duration.between(since, until).compareTo(retention) > 0) {
            throw ApiException.invalid("since", "the window may span at most the retention period (" + retention.toDays()
                    + " days); move since later or until earlier");
        }
        String generation = workspaces.generation(p, workspaceId);
        Endpoint endpoint = endpoints.get(workspaceId, endpointId).orElseThrow(() -> ApiException.notFound("no such endpoint"));
        requireEnabled(endpoint);
        Recovery.Result result = recovery.run(workspaceId, generation, endpointId, since, until);
        return ApiResponse.json(202, LogViews.recovered(result.queued(), result.resumeSince()));
    }

    private static void requireEnabled(Endpoint endpoint) {
        if (!endpoint.enabled()) {
            throw ApiException.conflict("the endpoint is disabled"
                    + (endpoint.disabledReason() == null ? "" : " (" + endpoint.disabledReason() + ")")
                    + "; enable it with PATCH {\"enabled\":true} first, or nothing would be delivered");
        }
    }

    private static Instant instant(String text, String field) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, field + " must be an ISO-8601 time such as 2026-04-17T18:22:00Z");
        }
    }
}
