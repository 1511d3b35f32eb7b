package dev.signet.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.api.catalog.PayloadSchema;
import dev.signet.core.catalog.EventType;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;
import dev.signet.core.store.EventTypeStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;

/**
 * The event type catalog (openapi.yaml, "Event types"; README.md, "The event type catalog"): one per
 * deployment. The admin key writes it; the admin key and any portal session read it, so the portal
 * can offer the types with their descriptions and example payloads.
 */
final class EventTypeApi {
    static final String PATH = "/v1/event-types";
    /** Types in the catalog: its list is one response, and ingest compiles every validating schema. */
    static final int MAX_TYPES = 200;
    /** Description, schema and example of one type together, as stored. */
    static final int MAX_TYPE_BYTES = 32 * 1024;
    static final int MAX_DESCRIPTION = 1024;

    private final EventTypeStore catalog;
    private final Clock clock;

    EventTypeApi(EventTypeStore catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    /** {@code PUT /v1/event-types/{type}}: creates (201) or replaces (200) the type. */
    ApiResponse put(Principal p, String name, ApiRequest request) {
        Access.adminOnly(p);
        if (!EventType.NAME.matcher(name).matches()) {
            throw ApiException.notFound("no event type can have this name: a name is 1 to 128 of A-Z a-z 0-9 _ . : -, as an event's \"event\"");
        }
        Body body = Body.of(request, Set.of("description", "schema", "example", "validate", "deprecated"));
        String description = body.string("description", "");
        if (description.length() > MAX_DESCRIPTION) {
            throw ApiException.invalid("description", "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        boolean validate = body.bool("validate", false);
        boolean deprecated = body.bool("deprecated", false);
        PayloadSchema schema = null;
        if (body.has("schema")) {
            try {
                schema = PayloadSchema.compile(name, body.get("schema"));
            } catch (PayloadSchema.InvalidSchema e) {
                throw ApiException.invalid("schema", e.getMessage());
            }
        }
        if (validate && schema == null) {
            throw ApiException.invalid("validate", "validate needs a schema to check payloads against; add \"schema\" or leave validate false");
        }
        JsonNode example = body.has("example") ? body.get("example") : null;
        if (example != null && !example.isObject()) {
            throw ApiException.invalid("example", "example must be a JSON object, as an event's payload is");
        }
        if (example != null && schema != null) {
            Optional<PayloadSchema.Violation> v = schema.check(example);
            if (v.isPresent()) {
                throw ApiException.invalid("example", "example " + v.get().message());
            }
        }
        String schemaText = schema == null ? null : Json.write(body.get("schema"));
        String exampleText = example == null ? null : Json.write(example);
        int size = utf8(description) + utf8(schemaText) + utf8(exampleText);
        if (size > MAX_TYPE_BYTES) {
            throw ApiException.invalid("schema", "description, schema and example together must be at most "
                    + (MAX_TYPE_BYTES / 1024) + " KiB; they are " + size + " bytes");
        }
        Optional<EventType> existing = catalog.get(name);
        if (existing.isEmpty() && catalog.list().size() >= MAX_TYPES) {
            throw ApiException.conflict("the catalog holds at most " + MAX_TYPES + " event types; delete one first");
        }
        EventType saved = new EventType(name, description, schemaText, exampleText, validate, deprecated,
                clock.instant().truncatedTo(ChronoUnit.SECONDS));
        boolean created = catalog.put(saved);
        return ApiResponse.json(created ? 201 : 200, view(saved));
    }

    /** {@code GET /v1/event-types}: every type, by name. */
    ApiResponse list(Principal p) {
        reader(p);
        ObjectNode body = Json.object();
        ArrayNode data = body.putArray("data");
        catalog.list().forEach(t -> data.add(view(t)));
        return ApiResponse.json(200, body);
    }

    ApiResponse get(Principal p, String name) {
        reader(p);
        return ApiResponse.json(200, view(find(name)));
    }

    ApiResponse delete(Principal p, String name) {
        Access.adminOnly(p);
        if (!EventType.NAME.matcher(name).matches() || !catalog.delete(name)) {
            throw notFound();
        }
        return ApiResponse.noContent();
    }

    private EventType find(String name) {
        if (!EventType.NAME.matcher(name).matches()) {
            throw notFound();
        }
        return catalog.get(name).orElseThrow(EventTypeApi::notFound);
    }

    /** The admin key or a session of any workspace: the catalog is the same for all. */
    private static void reader(Principal p) {
        if (p instanceof Principal.IngestKey) {
            throw ApiException.forbidden("an ingest key can only send events");
        }
    }

    private static ApiException notFound() {
        return ApiException.notFound("no such event type in the catalog");
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    static ObjectNode view(EventType t) {
        ObjectNode n = Json.object();
        n.put("name", t.name());
        n.put("description", t.description());
        n.set("schema", t.schema() == null ? n.nullNode() : Json.parseTrusted(t.schema()));
        n.set("example", t.example() == null ? n.nullNode() : Json.parseTrusted(t.example()));
        n.put("validate", t.validate());
        n.put("deprecated", t.deprecated());
        n.put("updated_at", Timestamps.format(t.updatedAt()));
        return n;
    }
}
