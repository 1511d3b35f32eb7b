package dev.signet.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;

import java.time.Instant;
import java.util.List;

/** The JSON shapes of the delivery log, event detail, retry and recover, as openapi.yaml describes them. */
final class LogViews {
    private LogViews() {
    }

    /** Where one event stands with one endpoint: the latest attempt's delivery status, or pending. */
    record Delivery(String endpointId, String status, int attempts) {
    }

    static ObjectNode attempt(Attempt a) {
        ObjectNode n = Json.object();
        n.put("id", a.id());
        n.put("event_id", a.eventId());
        n.put("endpoint_id", a.endpointId());
        n.put("attempt", a.attempt());
        n.put("status", a.status().wire());
        if (a.responseStatus() == null) {
            n.putNull("response_status");
        } else {
            n.put("response_status", a.responseStatus());
        }
        n.put("response_body", a.responseBody());
        n.put("error", a.error());
        n.put("duration_ms", a.durationMs());
        n.put("created_at", Timestamps.format(a.createdAt()));
        n.put("next_attempt_at", Timestamps.formatOrNull(a.nextAttemptAt()));
        n.put("url", a.url());
        n.put("trigger", a.trigger() == null ? null : a.trigger().wire());
        return n;
    }

    static ObjectNode attemptPage(List<Attempt> attempts, String nextCursor) {
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        attempts.forEach(a -> data.add(attempt(a)));
        body.put("next_cursor", nextCursor);
        return body;
    }

    /**
     * The event with its payload spliced in as stored, never re-serialised: key order, number digits
     * and escapes stay exactly as the product emitted them.
     */
    static String event(Event e, List<Delivery> deliveries) {
        ArrayNode list = Json.array();
        for (Delivery d : deliveries) {
            list.addObject().put("endpoint_id", d.endpointId()).put("status", d.status()).put("attempts", d.attempts());
        }
        StringBuilder s = new StringBuilder(e.payload().length() + 256);
        s.append("{\"id\":");
        Json.appendString(s, e.id()).append(",\"event\":");
        Json.appendString(s, e.type()).append(",\"created_at\":");
        Json.appendString(s, Timestamps.format(e.createdAt())).append(",\"resource\":");
        Json.appendStringOrNull(s, e.resource()).append(",\"resource_id\":");
        Json.appendStringOrNull(s, e.resourceId()).append(",\"payload\":");
        s.append(e.payload()).append(",\"deliveries\":");
        return s.append(Json.write(list)).append('}').toString();
    }

    static ObjectNode queued(int n) {
        return Json.object().put("queued", n);
    }

    /** A recover's answer: {@code resume_since} only when the window was not finished (openapi.yaml). */
    static ObjectNode recovered(int n, Instant resumeSince) {
        ObjectNode body = queued(n);
        if (resumeSince != null) {
            body.put("resume_since", resumeSince.toString());
        }
        return body;
    }
}
