package dev.signet.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON setup of the project. Only the tree model is used (no reflective data binding), which
 * keeps cold starts short. Nesting depth and string lengths are bounded so hostile input fails fast
 * with a parse error instead of exhausting the stack.
 */
public final class Json {
    /** Deepest nesting accepted in any request body, emitted payloads included. */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(1 << 20)
                    .maxNumberLength(1000)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .build();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses JSON text; throws {@link JsonProcessingException} (checked) on malformed input. */
    public static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    public static JsonNode parse(byte[] bytes) throws IOException {
        return MAPPER.readTree(bytes);
    }

    /** Parses JSON that this program wrote itself; malformed input is a bug, not bad user input. */
    public static JsonNode parseTrusted(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is malformed", e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code node} as compact JSON text, the same value {@link #write} gives, written directly: the
     * tree's strings, numbers, booleans and nulls need no serializer lookup, and a log line is written
     * per delivery attempt. Strings are escaped as {@link #appendString} does; any other node (binary,
     * a POJO) is left to Jackson.
     */
    public static String writeCompact(JsonNode node) {
        return appendNode(new StringBuilder(256), node).toString();
    }

    private static StringBuilder appendNode(StringBuilder out, JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (var field : node.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    appendString(out, field.getKey()).append(':');
                    appendNode(out, field.getValue());
                }
                return out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    appendNode(out, node.get(i));
                }
                return out.append(']');
            }
            case STRING -> {
                return appendString(out, node.textValue());
            }
            case BOOLEAN -> {
                return out.append(node.booleanValue());
            }
            case NULL -> {
                return out.append("null");
            }
            case NUMBER -> {
                if (node.isIntegralNumber() || node.isBigDecimal()) {
                    return out.append(node.asText());
                }
                double d = node.doubleValue();
                // Jackson writes NaN and the infinities as strings (they are not JSON numbers).
                return Double.isFinite(d) ? out.append(node.asText()) : appendString(out, node.asText());
            }
            default -> {
                return out.append(write(node));
            }
        }
    }

    /** Appends {@code value} to {@code out} as a JSON string literal (quotes included). */
    public static StringBuilder appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }

    /** Appends a JSON string literal, or {@code null} when {@code value} is null. */
    public static StringBuilder appendStringOrNull(StringBuilder out, String value) {
        return value == null ? out.append("null") : appendString(out, value);
    }

    /**
     * With {@code p} on a START_OBJECT of {@code source}, skips the object and returns its exact text,
     * byte for byte (key order, number digits and escapes untouched).
     */
    public static String sliceObject(JsonParser p, byte[] source) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        int end = (int) p.currentTokenLocation().getByteOffset() + 1;
        return new String(source, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Text of an optional string field, or null when absent or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
