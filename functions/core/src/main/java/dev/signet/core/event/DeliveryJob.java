package dev.signet.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.signet.core.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One event for one endpoint: the body of a deliveries-queue message. It carries the payload so a
 * delivery needs no event read; the same job is re-queued by retry, recover and redrive, which is
 * why {@code webhook-id} (the event id) stays the same on every attempt. The payload is embedded as
 * raw JSON (not an escaped string), so the message is barely larger than the payload itself.
 */
public record DeliveryJob(
        String workspaceId,
        String endpointId,
        String eventId,
        String eventType,
        Instant eventCreatedAt,
        String resource,
        String resourceId,
        String payload) {

    public static DeliveryJob of(Event event, String endpointId) {
        return new DeliveryJob(event.workspaceId(), endpointId, event.id(), event.type(), event.createdAt(),
                event.resource(), event.resourceId(), event.payload());
    }

    public String toMessageBody() {
        StringBuilder s = new StringBuilder(payload.length() + 256);
        s.append("{\"v\":1,\"workspace_id\":");
        Json.appendString(s, workspaceId).append(",\"endpoint_id\":");
        Json.appendString(s, endpointId).append(",\"event_id\":");
        Json.appendString(s, eventId).append(",\"event\":");
        Json.appendString(s, eventType).append(",\"created_at\":");
        Json.appendString(s, eventCreatedAt.toString()).append(",\"resource\":");
        Json.appendStringOrNull(s, resource).append(",\"resource_id\":");
        Json.appendStringOrNull(s, resourceId).append(",\"payload\":");
        return s.append(payload).append('}').toString();
    }

    /** Reads a message body; throws {@link IllegalArgumentException} if it is not a delivery job. */
    public static DeliveryJob fromMessageBody(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ws = null, ep = null, evt = null, type = null, created = null, resource = null, resourceId = null, payload = null;
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("message body is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("payload") && t == JsonToken.START_OBJECT) {
                    payload = Json.sliceObject(p, bytes);
                    continue;
                }
                String text = t == JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
                switch (name) {
                    case "workspace_id" -> ws = text;
                    case "endpoint_id" -> ep = text;
                    case "event_id" -> evt = text;
                    case "event" -> type = text;
                    case "created_at" -> created = text;
                    case "resource" -> resource = text;
                    case "resource_id" -> resourceId = text;
                    default -> {
                        // newer fields are ignored, so messages from a newer version still deliver
                    }
                }
            }
            if (ws == null || ep == null || evt == null || type == null || created == null || payload == null) {
                throw new IllegalArgumentException("message body is not a delivery job");
            }
            return new DeliveryJob(ws, ep, evt, type, Instant.parse(created), resource, resourceId, payload);
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("message body is not a delivery job: " + e.getClass().getSimpleName());
        }
    }
}
