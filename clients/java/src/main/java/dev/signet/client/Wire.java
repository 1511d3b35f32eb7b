package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads Signet's snake_case JSON into this library's records, field by field. Explicit rather than
 * Jackson's reflective record binding: the wire names differ from Java's, fields the server adds
 * later must be ignored, absent and null fields must read the same, and a payload must stay a tree
 * with its exact numbers. A dozen lines per record is less than the annotations and settings that
 * would take.
 */
final class Wire {
    private Wire() {
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asInt();
    }

    static long number(JsonNode n, String field) {
        return n.path(field).asLong();
    }

    static boolean bool(JsonNode n, String field) {
        return n.path(field).asBoolean(false);
    }

    static Instant instant(JsonNode n, String field) {
        String v = text(n, field);
        if (v == null) {
            return null;
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new SignetConnectionException("Signet answered with " + field + " \"" + v + "\", which is not an ISO-8601 time", e);
        }
    }

    /** The field's JSON value, or null when absent or JSON null. */
    static JsonNode tree(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v;
    }

    static List<String> strings(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        n.path(field).forEach(v -> out.add(v.asText()));
        return List.copyOf(out);
    }

    static Map<String, String> stringMap(JsonNode n, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        n.path(field).properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return java.util.Collections.unmodifiableMap(out);
    }

    static <T> List<T> list(JsonNode n, String field, Function<JsonNode, T> read) {
        List<T> out = new ArrayList<>();
        n.path(field).forEach(v -> out.add(read.apply(v)));
        return List.copyOf(out);
    }

    static <T> Page<T> page(JsonNode n, Function<JsonNode, T> read) {
        return new Page<>(list(n, "data", read), text(n, "next_cursor"));
    }
}
