package dev.signet.core.event;

import dev.signet.core.endpoint.Endpoint.PayloadFormat;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;

import java.nio.charset.StandardCharsets;

/**
 * The bytes a receiver gets (README.md, "What a delivery looks like"). The emitted payload is spliced in as the exact text the
 * product sent; the signature is computed over these same bytes.
 */
public final class WebhookBody {
    private WebhookBody() {
    }

    public static byte[] of(DeliveryJob job, PayloadFormat format) {
        if (format == PayloadFormat.RAW) {
            return job.payload().getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder s = new StringBuilder(200);
        s.append("{\"id\":");
        Json.appendString(s, job.eventId()).append(",\"type\":");
        Json.appendString(s, job.eventType()).append(",\"timestamp\":");
        Json.appendString(s, Timestamps.format(job.eventCreatedAt())).append(",\"resource\":");
        Json.appendStringOrNull(s, job.resource()).append(",\"resource_id\":");
        Json.appendStringOrNull(s, job.resourceId()).append(",\"data\":");
        // The small head as text, the payload encoded once and copied once (not appended, copied out
        // of the builder and encoded again): a 64 KiB envelope costs about one encoding of the payload.
        byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] payload = job.payload().getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + payload.length + 1];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(payload, 0, body, head.length, payload.length);
        body[body.length - 1] = '}';
        return body;
    }

}
