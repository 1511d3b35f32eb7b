package dev.signet.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.signet.core.ids.Randomness;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * One event for one endpoint, and how far its delivery has got ({@link Progress}): the body of a
 * deliveries-queue message. It carries the payload so a delivery needs no event read; the same event is
 * re-queued by retry, recover and redrive (as new runs), which is why {@code webhook-id} (the event id)
 * stays the same on every attempt. The payload is embedded as raw JSON (not an escaped string), so the
 * message is barely larger than the payload itself. It carries the workspace's {@code generation}
 * ({@code gen}) so its attempts are written under the keys of the workspace it was queued for; a message
 * without one (queued before generations existed) belongs to a workspace without one.
 */
public record DeliveryJob(
        String workspaceId,
        String generation,
        String endpointId,
        String eventId,
        String eventType,
        Instant eventCreatedAt,
        String resource,
        String resourceId,
        String payload,
        Progress progress) {

    /** The event's own delivery to one endpoint: the first run, attempt 1, due when the event was created. */
    public DeliveryJob(String workspaceId, String generation, String endpointId, String eventId, String eventType, Instant eventCreatedAt,
                       String resource, String resourceId, String payload) {
        this(workspaceId, generation, endpointId, eventId, eventType, eventCreatedAt, resource, resourceId, payload,
                Progress.start(Progress.FIRST_RUN, Progress.Trigger.EVENT, eventCreatedAt));
    }

    public DeliveryJob {
        if (generation == null) {
            throw new IllegalArgumentException("generation must not be null (\"\" for none)");
        }
    }

    public static DeliveryJob of(Event event, String endpointId) {
        return new DeliveryJob(event.workspaceId(), event.generation(), endpointId, event.id(), event.type(), event.createdAt(),
                event.resource(), event.resourceId(), event.payload());
    }

    /** A new run of attempts of this event to {@code endpointId} (a retry, recover, test or redrive), due at once. */
    public static DeliveryJob run(Event event, String endpointId, Progress.Trigger trigger, Instant queuedAt) {
        return new DeliveryJob(event.workspaceId(), event.generation(), endpointId, event.id(), event.type(), event.createdAt(),
                event.resource(), event.resourceId(), event.payload(), Progress.start(newRun(), trigger, queuedAt));
    }

    /** The same delivery at another point of its progress. */
    public DeliveryJob with(Progress next) {
        return new DeliveryJob(workspaceId, generation, endpointId, eventId, eventType, eventCreatedAt, resource, resourceId, payload, next);
    }

    /** This delivery as the dead-letter queue keeps it: a redrive starts a fresh run at attempt 1. */
    public DeliveryJob forRedrive(Instant now) {
        return with(Progress.start(newRun(), Progress.Trigger.REDRIVE, now));
    }

    private static String newRun() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Randomness.bytes(9));
    }

    public String toMessageBody() {
        StringBuilder s = new StringBuilder(payload.length() + 384);
        s.append("{\"v\":2,\"workspace_id\":");
        Json.appendString(s, workspaceId);
        if (!generation.isEmpty()) {
            Json.appendString(s.append(",\"gen\":"), generation);
        }
        s.append(",\"endpoint_id\":");
        Json.appendString(s, endpointId).append(",\"event_id\":");
        Json.appendString(s, eventId).append(",\"event\":");
        Json.appendString(s, eventType).append(",\"created_at\":");
        Json.appendString(s, Timestamps.iso(eventCreatedAt)).append(",\"resource\":");
        Json.appendStringOrNull(s, resource).append(",\"resource_id\":");
        Json.appendStringOrNull(s, resourceId).append(",\"run\":");
        Json.appendString(s, progress.run()).append(",\"trigger\":\"").append(progress.trigger().wire())
                .append("\",\"attempt\":").append(progress.attempt()).append(",\"due_at\":");
        Json.appendString(s, Timestamps.iso(progress.dueAt()));
        if (progress.pending() != null) {
            s.append(",\"after\":\"").append(progress.after().wire()).append("\",\"pending\":")
                    .append(Json.write(PendingAttempt.toJson(progress.pending())));
        }
        s.append(",\"payload\":");
        return s.append(payload).append('}').toString();
    }

    /** Reads a message body; throws {@link IllegalArgumentException} if it is not a delivery job. */
    public static DeliveryJob fromMessageBody(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ws = null, gen = null, ep = null, evt = null, type = null, created = null, resource = null, resourceId = null, payload = null;
        String run = null, trigger = null, due = null, after = null;
        int attempt = 1;
        Attempt pending = null;
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
                if (name.equals("pending") && t == JsonToken.START_OBJECT) {
                    pending = PendingAttempt.fromJson(Json.MAPPER.readTree(p));
                    continue;
                }
                if (name.equals("attempt") && t == JsonToken.VALUE_NUMBER_INT) {
                    attempt = p.getIntValue();
                    continue;
                }
                String text = t == JsonToken.VALUE_STRING ? p.getText() : null;
                p.skipChildren();
                switch (name) {
                    case "workspace_id" -> ws = text;
                    case "gen" -> gen = text;
                    case "endpoint_id" -> ep = text;
                    case "event_id" -> evt = text;
                    case "event" -> type = text;
                    case "created_at" -> created = text;
                    case "resource" -> resource = text;
                    case "resource_id" -> resourceId = text;
                    case "run" -> run = text;
                    case "trigger" -> trigger = text;
                    case "due_at" -> due = text;
                    case "after" -> after = text;
                    default -> {
                        // newer fields are ignored, so messages from a newer version still deliver
                    }
                }
            }
            if (ws == null || ep == null || evt == null || type == null || created == null || payload == null) {
                throw new IllegalArgumentException("message body is not a delivery job");
            }
            Instant createdAt = Timestamps.parse(created);
            // A version-1 message (queued before attempts were counted in the message) is its event's first run.
            Progress progress = new Progress(run == null ? Progress.FIRST_RUN : run,
                    trigger == null ? Progress.Trigger.EVENT : Progress.Trigger.fromWire(trigger), attempt,
                    due == null ? createdAt : Timestamps.parse(due), pending,
                    after == null ? Progress.After.ATTEMPT : Progress.After.fromWire(after));
            return new DeliveryJob(ws, gen == null ? "" : gen, ep, evt, type, createdAt, resource, resourceId, payload, progress);
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("message body is not a delivery job: " + e.getClass().getSimpleName());
        }
    }
}
