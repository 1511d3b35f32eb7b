package dev.signet.core.event;

import java.time.Instant;
import java.util.List;

/** An accepted event and the endpoints it was fanned out to. */
public record Event(
        String id,
        String workspaceId,
        String type,
        Instant createdAt,
        String resource,
        String resourceId,
        String payload,
        List<String> endpointIds) {

    public Event {
        endpointIds = List.copyOf(endpointIds);
    }
}
