package dev.signet.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;

import java.time.Instant;
import java.util.Locale;

/**
 * An attempt record carried in a queue message until it can be written (DynamoDB throttled or
 * unreachable after the request was sent): the same fields the log stores, under the same id, so
 * writing it later is the same write.
 */
final class PendingAttempt {
    private PendingAttempt() {
    }

    static ObjectNode toJson(Attempt a) {
        ObjectNode o = Json.object().put("id", a.id()).put("attempt", a.attempt()).put("status", a.status().wire());
        if (a.responseStatus() != null) {
            o.put("response_status", a.responseStatus());
        }
        o.put("response_body", a.responseBody()).put("error", a.error()).put("duration_ms", a.durationMs())
                .put("created_at", a.createdAt().toString())
                .put("next_attempt_at", a.nextAttemptAt() == null ? null : a.nextAttemptAt().toString())
                .put("delivery_status", a.deliveryStatus().wire())
                .put("workspace_id", a.workspaceId()).put("generation", a.generation()).put("event_id", a.eventId()).put("endpoint_id", a.endpointId())
                .put("url", a.url()).put("trigger", a.trigger() == null ? null : a.trigger().wire());
        return o;
    }

    static Attempt fromJson(JsonNode o) {
        String next = Json.text(o, "next_attempt_at");
        String trigger = Json.text(o, "trigger");
        String generation = Json.text(o, "generation");
        return new Attempt(Json.text(o, "id"), Json.text(o, "workspace_id"), generation == null ? "" : generation, Json.text(o, "event_id"), Json.text(o, "endpoint_id"),
                o.path("attempt").asInt(), Attempt.Status.valueOf(Json.text(o, "status").toUpperCase(Locale.ROOT)),
                o.hasNonNull("response_status") ? o.get("response_status").asInt() : null,
                Json.text(o, "response_body"), Json.text(o, "error"), o.path("duration_ms").asLong(),
                Instant.parse(Json.text(o, "created_at")), next == null ? null : Instant.parse(next),
                Attempt.DeliveryStatus.valueOf(Json.text(o, "delivery_status").toUpperCase(Locale.ROOT)),
                Json.text(o, "url"), trigger == null ? null : Progress.Trigger.fromWire(trigger));
    }
}
