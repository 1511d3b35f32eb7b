package dev.signet.core.event;

import java.time.Instant;
import java.util.List;

/**
 * An accepted event, the endpoints it was fanned out to, and the disabled endpoints whose filter it
 * matched ({@code missedEndpointIds}): those never got it, and recover sends it to them later.
 *
 * @param generation the workspace's generation when the event was accepted: part of its keys, so a
 *                   workspace created again with the same id never reaches it
 */
public record Event(
        String id,
        String workspaceId,
        String generation,
        String type,
        Instant createdAt,
        String resource,
        String resourceId,
        String payload,
        List<String> endpointIds,
        List<String> missedEndpointIds) {

    public Event {
        endpointIds = List.copyOf(endpointIds);
        missedEndpointIds = List.copyOf(missedEndpointIds);
    }

    /** An event that no disabled endpoint missed. */
    public Event(String id, String workspaceId, String generation, String type, Instant createdAt, String resource,
                 String resourceId, String payload, List<String> endpointIds) {
        this(id, workspaceId, generation, type, createdAt, resource, resourceId, payload, endpointIds, List.of());
    }
}
