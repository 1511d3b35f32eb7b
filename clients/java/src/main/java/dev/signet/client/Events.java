package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.client.Transport.Call;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Emitting events, with the workspace's ingest key. Every emit carries an Idempotency-Key (a random
 * one unless you give yours), so the client may safely send it again after a lost answer: Signet
 * returns the first answer and queues nothing twice. Give your own key (e.g. {@code order-77-completed})
 * when your own code may emit the same thing twice, e.g. from a retried job.
 */
public final class Events {
    /** The most events one batch may hold. */
    public static final int MAX_BATCH = 100;

    private final Transport transport;

    Events(Transport transport) {
        this.transport = transport;
    }

    public Emitted emit(NewEvent event) {
        return emit(event, null);
    }

    /** Emits with this Idempotency-Key (1 to 255 printable ASCII characters), or a generated one if null. */
    public Emitted emit(NewEvent event, String idempotencyKey) {
        Objects.requireNonNull(event, "event");
        return Emitted.from(transport.send(new Call("POST", "/v1/events", event.body(), keyOrNew(idempotencyKey), false)).body());
    }

    /** Emits up to {@value #MAX_BATCH} events at once: one {@link BatchItem} per event, in order. */
    public List<BatchItem> emitBatch(List<NewEvent> events) {
        return emitBatch(events, null);
    }

    public List<BatchItem> emitBatch(List<NewEvent> events, String idempotencyKey) {
        if (events.isEmpty() || events.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " events, got " + events.size());
        }
        List<Object> bodies = new ArrayList<>();
        events.forEach(e -> bodies.add(e.body()));
        JsonNode answer = transport.send(new Call("POST", "/v1/events/batch", Map.of("events", bodies),
                keyOrNew(idempotencyKey), false)).body();
        List<BatchItem> results = new ArrayList<>();
        for (JsonNode r : answer.path("results")) {
            results.add(r.has("error") ? Rejected.from(r.get("error")) : Emitted.from(r));
        }
        return List.copyOf(results);
    }

    private static String keyOrNew(String key) {
        return key != null ? key : UUID.randomUUID().toString();
    }
}
