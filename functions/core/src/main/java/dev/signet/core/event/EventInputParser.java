package dev.signet.core.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.signet.core.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses and validates ingest bodies (openapi.yaml, README "Emit events") with a streaming parser, so
 * the {@code payload} object can be kept as the exact bytes the product sent instead of being
 * re-serialised. Bodies are UTF-8 JSON; a leading UTF-8 byte order mark is dropped.
 */
public final class EventInputParser {
    public static final int MAX_BODY_BYTES = 256 * 1024;
    public static final int MAX_BATCH = 100;
    static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    static final int MAX_RESOURCE_LENGTH = 256;

    private EventInputParser() {
    }

    /** A single event body, {@code POST /v1/events}. */
    public static EventInput parseOne(byte[] received) {
        byte[] body = utf8Json(received);
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(null, "body must be a JSON object");
            }
            EventInput input = readEvent(p, body, "");
            if (p.nextToken() != null) {
                throw new InvalidInputException(null, "body has content after the JSON object");
            }
            return input;
        } catch (IOException e) {
            throw malformed(e, received.length - body.length);
        }
    }

    /**
     * A batch body, {@code POST /v1/events/batch}: one {@link BatchItem} per element, in order, either
     * valid or holding the problem that rejects it alone. Malformed JSON rejects the whole batch.
     */
    public static List<BatchItem> parseBatch(byte[] received) {
        byte[] body = utf8Json(received);
        List<BatchItem> results = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidInputException(null, "body must be a JSON object with an \"events\" array");
            }
            boolean seen = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (!name.equals("events")) {
                    throw new InvalidInputException(name, "unknown field \"" + name + "\"; a batch body has only \"events\"");
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new InvalidInputException("events", "events must be an array of event objects");
                }
                seen = true;
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (i == MAX_BATCH) {
                        throw new InvalidInputException("events", "a batch holds at most " + MAX_BATCH + " events");
                    }
                    String prefix = "events[" + i + "].";
                    if (p.currentToken() != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        results.add(new BatchItem.Invalid(new InvalidInputException("events[" + i + "]", "each event must be a JSON object")));
                    } else {
                        try {
                            results.add(new BatchItem.Valid(readEvent(p, body, prefix)));
                        } catch (InvalidInputException e) {
                            skipToEndOfObject(p);
                            results.add(new BatchItem.Invalid(e));
                        }
                    }
                    i++;
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidInputException(null, "body has content after the JSON object");
            }
            if (!seen) {
                throw new InvalidInputException("events", "events is required: an array of 1 to " + MAX_BATCH + " events");
            }
            if (results.isEmpty()) {
                throw new InvalidInputException("events", "events is empty; send 1 to " + MAX_BATCH + " events");
            }
            return results;
        } catch (IOException e) {
            throw malformed(e, received.length - body.length);
        }
    }

    /**
     * The body's JSON text as UTF-8 bytes without a byte order mark. A body in another encoding, or
     * with bytes that are not UTF-8, is rejected here: Jackson would read UTF-16 and UTF-32, but the
     * payload is kept as UTF-8 bytes, and a lenient decoding would change what receivers get.
     */
    private static byte[] utf8Json(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            throw new PayloadTooLargeException(MAX_BODY_BYTES);
        }
        String other = otherEncoding(body);
        if (other != null) {
            throw new InvalidInputException(null, "body must be JSON encoded as UTF-8, but it is " + other + "; re-encode it as UTF-8");
        }
        int start = startsWith(body, 0xEF, 0xBB, 0xBF) ? 3 : 0;
        if (body.length == start) {
            throw new InvalidInputException(null, "body is empty; send a JSON object");
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body, start, body.length - start);
        CoderResult result = strict.decode(in, CharBuffer.allocate(body.length), true);
        if (result.isError()) {
            throw new InvalidInputException(null, "body is not valid UTF-8 (at byte " + in.position()
                    + "); send JSON encoded as UTF-8");
        }
        return start == 0 ? body : Arrays.copyOfRange(body, start, body.length);
    }

    /**
     * UTF-16 or UTF-32 by its byte order mark or, without one, by the zero bytes around the first
     * character, which in JSON text is ASCII; null when the body may be UTF-8.
     */
    private static String otherEncoding(byte[] b) {
        if (startsWith(b, 0x00, 0x00, 0xFE, 0xFF) || b.length >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0) {
            return "UTF-32BE";
        }
        if (startsWith(b, 0xFF, 0xFE, 0x00, 0x00) || b.length >= 4 && b[0] != 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE";
        }
        if (startsWith(b, 0xFE, 0xFF) || b.length >= 2 && b[0] == 0) {
            return "UTF-16BE";
        }
        if (startsWith(b, 0xFF, 0xFE) || b.length >= 2 && b[1] == 0) {
            return "UTF-16LE";
        }
        return null;
    }

    private static boolean startsWith(byte[] body, int... prefix) {
        if (body.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((body[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** @param skipped bytes dropped before parsing (a byte order mark), so positions match what was sent */
    private static InvalidInputException malformed(IOException e, int skipped) {
        if (e instanceof StreamConstraintsException) {
            return new InvalidInputException(null, "body nests deeper than " + Json.MAX_NESTING_DEPTH + " levels or has an oversized value");
        }
        if (e instanceof com.fasterxml.jackson.core.JsonParseException jpe && jpe.getMessage() != null
                && jpe.getMessage().startsWith("Duplicate field")) {
            return new InvalidInputException(null, "body repeats a field name; each field may appear once");
        }
        long at = locationOf(e);
        return new InvalidInputException(null, at < 0 ? "body is not valid JSON" : "body is not valid JSON (at byte " + (at + skipped) + ")");
    }

    private static long locationOf(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
            return jpe.getLocation().getByteOffset();
        }
        return -1;
    }

    /** Reads one event object; the parser is on its START_OBJECT and is left on its END_OBJECT. */
    private static EventInput readEvent(JsonParser p, byte[] body, String prefix) throws IOException {
        String type = null;
        String resource = null;
        String resourceId = null;
        String payload = null;
        InvalidInputException problem = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "event" -> {
                    if (t != JsonToken.VALUE_STRING) {
                        problem = first(problem, prefix + "event", "event must be a string like \"order.completed\"");
                        p.skipChildren(); // an object or array value must not be read as this event's fields
                    } else {
                        type = p.getText();
                    }
                }
                case "resource", "resource_id" -> {
                    if (t == JsonToken.VALUE_NULL) {
                        break;
                    }
                    if (t != JsonToken.VALUE_STRING) {
                        problem = first(problem, prefix + name, name + " must be a string");
                        p.skipChildren();
                    } else if (p.getText().length() > MAX_RESOURCE_LENGTH) {
                        problem = first(problem, prefix + name, name + " must be at most " + MAX_RESOURCE_LENGTH + " characters");
                    } else if (name.equals("resource")) {
                        resource = p.getText();
                    } else {
                        resourceId = p.getText();
                    }
                }
                case "payload" -> {
                    if (t != JsonToken.START_OBJECT) {
                        problem = first(problem, prefix + "payload", "payload must be a JSON object");
                        p.skipChildren();
                    } else {
                        payload = Json.sliceObject(p, body);
                    }
                }
                default -> {
                    problem = first(problem, prefix + name, "unknown field \"" + name + "\"; an event has event, payload, resource, resource_id");
                    p.skipChildren();
                }
            }
        }
        if (problem != null) {
            throw problem;
        }
        if (type == null) {
            throw new InvalidInputException(prefix + "event", "event is required, e.g. \"order.completed\"");
        }
        if (!EVENT_TYPE.matcher(type).matches()) {
            throw new InvalidInputException(prefix + "event", "event must be 1 to 128 of A-Z a-z 0-9 _ . : -");
        }
        if (payload == null) {
            throw new InvalidInputException(prefix + "payload", "payload is required: a JSON object");
        }
        return new EventInput(type, resource, resourceId, payload);
    }

    private static InvalidInputException first(InvalidInputException existing, String field, String message) {
        return existing != null ? existing : new InvalidInputException(field, message);
    }

    private static void skipToEndOfObject(JsonParser p) throws IOException {
        // readEvent throws only after consuming the whole object, except when a problem was recorded,
        // which is also thrown at the end: the parser already sits on END_OBJECT.
        if (p.currentToken() != JsonToken.END_OBJECT) {
            while (p.nextToken() != JsonToken.END_OBJECT) {
                p.skipChildren();
            }
        }
    }
}
