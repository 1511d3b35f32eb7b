package dev.signet.core.event;

import dev.signet.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** openapi.yaml, POST /v1/events: "Request body over 256 KiB: 413. Anything malformed: 400 naming the field." */
class EventInputValidationTest {

    private static EventInput parse(String body) {
        return EventInputParser.parseOne(body.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> malformedFields() {
        String name128 = "a".repeat(128);
        return Stream.of(
                arguments("missing event", "{\"payload\":{}}", "event", "event is required"),
                arguments("null event", "{\"event\":null,\"payload\":{}}", "event", "event must be a string"),
                arguments("numeric event", "{\"event\":42,\"payload\":{}}", "event", "event must be a string"),
                arguments("object event", "{\"event\":{\"name\":\"x\"},\"payload\":{}}", "event", "event must be a string"),
                arguments("empty event", "{\"event\":\"\",\"payload\":{}}", "event", "1 to 128"),
                arguments("space in event", "{\"event\":\"order completed\",\"payload\":{}}", "event", "1 to 128"),
                arguments("slash in event", "{\"event\":\"order/completed\",\"payload\":{}}", "event", "1 to 128"),
                arguments("non-ASCII event", "{\"event\":\"ordér.completed\",\"payload\":{}}", "event", "1 to 128"),
                arguments("newline in event", "{\"event\":\"order\\ncompleted\",\"payload\":{}}", "event", "1 to 128"),
                arguments("event of 129", "{\"event\":\"" + name128 + "b\",\"payload\":{}}", "event", "1 to 128"),
                arguments("missing payload", "{\"event\":\"order.completed\"}", "payload", "payload is required"),
                arguments("null payload", "{\"event\":\"order.completed\",\"payload\":null}", "payload", "JSON object"),
                arguments("array payload", "{\"event\":\"order.completed\",\"payload\":[1,2]}", "payload", "JSON object"),
                arguments("string payload", "{\"event\":\"order.completed\",\"payload\":\"{}\"}", "payload", "JSON object"),
                arguments("number payload", "{\"event\":\"order.completed\",\"payload\":1}", "payload", "JSON object"),
                arguments("resource of 257", "{\"event\":\"a\",\"resource\":\"" + "r".repeat(257) + "\",\"payload\":{}}",
                        "resource", "at most 256"),
                arguments("resource_id of 257", "{\"event\":\"a\",\"resource_id\":\"" + "r".repeat(257) + "\",\"payload\":{}}",
                        "resource_id", "at most 256"),
                arguments("numeric resource", "{\"event\":\"a\",\"resource\":7,\"payload\":{}}", "resource", "must be a string"),
                arguments("object resource_id", "{\"event\":\"a\",\"resource_id\":{\"id\":1},\"payload\":{}}", "resource_id",
                        "must be a string"),
                arguments("unknown field", "{\"event\":\"a\",\"payload\":{},\"priority\":1}", "priority", "unknown field"),
                arguments("misspelt field", "{\"evnt\":\"a\",\"payload\":{}}", "evnt", "unknown field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFields")
    void aMalformedFieldIsNamed(String description, String body, String field, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo(field);
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                arguments("not JSON", "event=order.completed", "not valid JSON"),
                arguments("truncated JSON", "{\"event\":\"a\",\"payload\":{", "not valid JSON"),
                arguments("trailing garbage", "{\"event\":\"a\",\"payload\":{}} x", "not valid JSON"),
                arguments("second object", "{\"event\":\"a\",\"payload\":{}}{}", "content after the JSON object"),
                arguments("top-level array", "[{\"event\":\"a\",\"payload\":{}}]", "must be a JSON object"),
                arguments("top-level string", "\"hello\"", "must be a JSON object"),
                arguments("duplicate field", "{\"event\":\"a\",\"event\":\"b\",\"payload\":{}}", "repeats a field name"),
                arguments("duplicate inside payload", "{\"event\":\"a\",\"payload\":{\"k\":1,\"k\":2}}", "repeats a field name"),
                arguments("whitespace only", "   ", "must be a JSON object"));
    }

    /** Whole-body problems have no single field to name. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void aMalformedBodyIsRejectedAsA400(String description, String body, String message) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((InvalidInputException) e).field()).isNull();
    }

    @Test
    void anEmptyBodyIsRejected() {
        assertThatThrownBy(() -> EventInputParser.parseOne(new byte[0]))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("body is empty");
    }

    @Test
    void theErrorForBadJsonSaysWhere() {
        assertThatThrownBy(() -> parse("{\"event\":\"a\",,\"payload\":{}}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageMatching("body is not valid JSON \\(at byte \\d+\\)");
    }

    @Test
    void aPayloadNestedBeyondTheLimitIsA400NotAStackOverflow() {
        // The body object and the payload object are two levels: these arrays make it one too many.
        int arrays = Json.MAX_NESTING_DEPTH - 1;
        String deep = "[".repeat(arrays) + "]".repeat(arrays);
        String body = "{\"event\":\"a\",\"payload\":{\"deep\":" + deep + "}}";

        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nests deeper than " + Json.MAX_NESTING_DEPTH);
    }

    @Test
    void anAbsurdlyDeepBodyIsA400NotAStackOverflow() {
        int depth = 100_000;
        String body = "{\"event\":\"a\",\"payload\":{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}}";

        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("nests deeper");
    }

    @Test
    void aPayloadNestedJustWithinTheLimitIsAccepted() {
        // The body object is one level and the payload object another: 62 more arrays reach the limit.
        int arrays = Json.MAX_NESTING_DEPTH - 2;
        String payload = "{\"deep\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";

        assertThat(parse("{\"event\":\"a\",\"payload\":" + payload + "}").payload()).isEqualTo(payload);
    }

    @Test
    void aBodyOver256KiBIsTooLarge() {
        byte[] body = bodyOfSize(EventInputParser.MAX_BODY_BYTES + 1);

        assertThatThrownBy(() -> EventInputParser.parseOne(body))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("256 KiB");
        assertThatThrownBy(() -> EventInputParser.parseBatch(body)).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void aBodyOfExactly256KiBIsAccepted() {
        byte[] body = bodyOfSize(256 * 1024);

        assertThat(body).hasSize(262_144);
        assertThat(EventInputParser.parseOne(body).type()).isEqualTo("a");
    }

    @Test
    void tooLargeIsDecidedBeforeParsing() {
        byte[] garbage = new byte[256 * 1024 + 1];

        assertThatThrownBy(() -> EventInputParser.parseOne(garbage)).isInstanceOf(PayloadTooLargeException.class);
    }

    @Test
    void aValidEventWithNullOptionalFieldsIsAccepted() {
        EventInput input = parse("{\"event\":\"Order_1.completed:v2-beta\",\"resource\":null,\"resource_id\":null,\"payload\":{}}");

        assertThat(input).isEqualTo(new EventInput("Order_1.completed:v2-beta", null, null, "{}"));
    }

    @Test
    void eventNamesOf128AndResourcesOf256CharactersAreAccepted() {
        String name = "e".repeat(128);
        String resource = "r".repeat(256);

        EventInput input = parse("{\"event\":\"" + name + "\",\"resource\":\"" + resource + "\",\"resource_id\":\"" + resource
                + "\",\"payload\":{}}");

        assertThat(input.type()).isEqualTo(name);
        assertThat(input.resource()).isEqualTo(resource);
        assertThat(input.resourceId()).isEqualTo(resource);
    }

    private static byte[] bodyOfSize(int size) {
        String head = "{\"event\":\"a\",\"payload\":{\"pad\":\"";
        String tail = "\"}}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }
}
