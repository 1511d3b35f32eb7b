package dev.signet.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.core.json.Json;

import java.io.IOException;
import java.util.Iterator;
import java.util.Set;

/** Reads and checks a management request's JSON body, with errors that name the field to fix. */
final class Body {
    static final int MAX_BYTES = 64 * 1024;

    private final ObjectNode node;

    private Body(ObjectNode node) {
        this.node = node;
    }

    /** The body as an object; an empty body counts as {@code {}}. Unknown fields are rejected. */
    static Body of(ApiRequest request, Set<String> allowedFields) {
        byte[] bytes = request.body();
        if (bytes.length > MAX_BYTES) {
            throw ApiException.tooLarge("request body is larger than " + (MAX_BYTES / 1024) + " KiB");
        }
        if (bytes.length == 0) {
            return new Body(Json.object());
        }
        JsonNode n;
        try {
            n = Json.parse(bytes);
        } catch (StreamConstraintsException e) {
            throw ApiException.invalid(null, "body nests too deeply or has an oversized value");
        } catch (JsonProcessingException e) {
            throw ApiException.invalid(null, "body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.invalid(null, "body could not be read");
        }
        if (n == null || n.isMissingNode()) {
            return new Body(Json.object());
        }
        if (!(n instanceof ObjectNode object)) {
            throw ApiException.invalid(null, "body must be a JSON object");
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowedFields.contains(f)) {
                throw ApiException.invalid(f, "unknown field \"" + f + "\"; allowed: " + String.join(", ", allowedFields.stream().sorted().toList()));
            }
        }
        return new Body(object);
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    JsonNode get(String field) {
        return node.get(field);
    }

    /** An optional string, or {@code fallback}; a non-string is a 400 naming the field. */
    String string(String field, String fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid(field, field + " must be a string");
        }
        return v.asText();
    }

    String requiredString(String field) {
        String v = string(field, null);
        if (v == null) {
            throw ApiException.invalid(field, field + " is required");
        }
        return v;
    }

    /** An optional whole number within [min, max], or {@code fallback}. */
    int integer(String field, int fallback, int min, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw ApiException.invalid(field, field + " must be a whole number from " + min + " to " + max);
        }
        return v.asInt();
    }

    boolean bool(String field, boolean fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid(field, field + " must be true or false");
        }
        return v.asBoolean();
    }
}
