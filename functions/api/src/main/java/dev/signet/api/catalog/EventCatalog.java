package dev.signet.api.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.cache.TtlCache;
import dev.signet.core.catalog.EventType;
import dev.signet.core.event.EventInput;
import dev.signet.core.event.InvalidInputException;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.core.store.EventTypeStore;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event type catalog as ingest uses it: read whole (one Query) at most once per TTL per function
 * instance, each validating type's schema compiled once per read, so checking a payload costs no
 * read per event. A change to the catalog reaches ingest within the TTL.
 */
public final class EventCatalog {
    private static final String KEY = "catalog";

    /** The catalog as read: each validating type with its compiled schema. */
    private record Snapshot(Map<String, PayloadSchema> validating) {
    }

    private final EventTypeStore store;
    private final TtlCache<String, Snapshot> cache;

    public EventCatalog(EventTypeStore store, Duration ttl, Clock clock) {
        this.store = store;
        this.cache = new TtlCache<>(ttl, 1, clock);
    }

    /**
     * Refuses {@code input} when its type is catalogued with {@code validate} and its payload fails
     * the schema: the field is {@code fieldPrefix + "payload"} followed by the JSON Pointer of the
     * first failing value (e.g. {@code payload/total_cents}). Types not in the catalog pass.
     */
    public void check(EventInput input, String fieldPrefix) {
        PayloadSchema schema = snapshot().validating().get(input.type());
        if (schema == null) {
            return;
        }
        JsonNode payload = Json.parseTrusted(input.payload());
        Optional<PayloadSchema.Violation> v = schema.check(payload);
        if (v.isPresent()) {
            throw new InvalidInputException(fieldPrefix + "payload" + v.get().pointer(), "payload " + v.get().message());
        }
    }

    private Snapshot snapshot() {
        return cache.get(KEY, k -> Optional.of(read())).orElseThrow();
    }

    private Snapshot read() {
        List<EventType> types = store.list();
        Map<String, PayloadSchema> validating = new HashMap<>();
        for (EventType t : types) {
            if (!t.validate() || t.schema() == null) {
                continue;
            }
            try {
                validating.put(t.name(), PayloadSchema.compile(t.name(), Json.parseTrusted(t.schema())));
            } catch (RuntimeException e) {
                // Checked when saved, so this is a schema this version cannot read: accept its events rather than refuse them all.
                Log.warn("event type schema not usable; its payloads are not validated", f -> f.put("event_type", t.name())
                        .put("error_type", e.getClass().getName()));
            }
        }
        return new Snapshot(Map.copyOf(validating));
    }
}
