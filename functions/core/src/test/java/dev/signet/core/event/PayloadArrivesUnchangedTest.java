package dev.signet.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.core.endpoint.Endpoint.PayloadFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "What a delivery looks like": "The emitted payload arrives unchanged: the same keys in the same order, numbers with the
 * same digits, strings identical." Followed byte for byte from the ingest body, through the queue
 * message, to the body the receiver gets, in both payload formats.
 */
class PayloadArrivesUnchangedTest {
    /**
     * Big and exotic numbers, keys out of alphabetical order, raw non-ASCII and JSON escapes (the
     * backslashes below are doubled so the JSON text itself holds the escape sequences).
     */
    static final String HOSTILE = "{\"amount\":12345678901234567890.12345678901234567890,\"z\":1,"
            + "\"a\":{\"y\":[1,2,{\"b\":null}],\"x\":\"é — 日本語 \\ud83d\\ude00\"},"
            + "\"esc\":\"\\\"quoted\\\" \\\\ \\u00e9\",\"big\":123456789012345678901234567890,\"exp\":1e400,\"neg\":-0.0}";

    static final String RAW_NON_ASCII = "{\"emoji\":\"😀\",\"nfd\":\"e\u0301\",\"nfc\":\"\u00e9\",\"sep\":\"\u2028\u2029\","
            + "\"ctl\":\"\\u0000\\u001f\\b\\f\\n\\r\\t\\/\"}";

    static final String WHITESPACE = "{\n  \"z\" : 1 ,\r\n\t\"a\" :\t[ 1.0 , 2.00 , 3e0 ] ,\n  \"nested\" : { \"k\" : \"v\" }\n}";

    static Stream<String> payloads() {
        return Stream.of(HOSTILE, RAW_NON_ASCII, WHITESPACE, "{}", "{ }");
    }

    private static final Instant CREATED = Instant.parse("2026-04-17T18:22:00Z");
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private static String ingestBody(String payload, String around) {
        return "{" + around + "\"event\":\"order.completed\"," + around + "\"resource\":\"order\",\"resource_id\":\"ord_\\\"77\","
                + around + "\"payload\":" + around + payload + around + "}";
    }

    private static DeliveryJob throughTheQueue(String payload, String around) {
        EventInput input = EventInputParser.parseOne(ingestBody(payload, around).getBytes(StandardCharsets.UTF_8));
        Event event = new Event("evt_1", "ws_1", "", input.type(), CREATED, input.resource(), input.resourceId(),
                input.payload(), List.of("ep_1"));
        String message = DeliveryJob.of(event, "ep_1").toMessageBody();
        return DeliveryJob.fromMessageBody(message);
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void theParsedPayloadIsTheExactTextSent(String payload) {
        EventInput input = EventInputParser.parseOne(ingestBody(payload, "").getBytes(StandardCharsets.UTF_8));

        assertThat(input.payload()).isEqualTo(payload);
        assertThat(input.type()).isEqualTo("order.completed");
        assertThat(input.resource()).isEqualTo("order");
        assertThat(input.resourceId()).isEqualTo("ord_\"77");
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void whitespaceAroundThePayloadIsNotPartOfIt(String payload) {
        EventInput input = EventInputParser.parseOne(ingestBody(payload, " \n\t ").getBytes(StandardCharsets.UTF_8));

        assertThat(input.payload()).isEqualTo(payload);
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void theQueueMessageCarriesThePayloadUnchanged(String payload) {
        DeliveryJob job = throughTheQueue(payload, "\n");

        assertThat(job.payload()).isEqualTo(payload);
        assertThat(job).isEqualTo(new DeliveryJob("ws_1", "", "ep_1", "evt_1", "order.completed", CREATED, "order", "ord_\"77", payload));
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void theRawBodyIsExactlyThePayloadBytes(String payload) {
        byte[] body = WebhookBody.of(throughTheQueue(payload, ""), PayloadFormat.RAW);

        assertThat(body).isEqualTo(payload.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void theEnvelopeCarriesThePayloadTextAsData(String payload) throws Exception {
        String envelope = new String(WebhookBody.of(throughTheQueue(payload, ""), PayloadFormat.ENVELOPE), StandardCharsets.UTF_8);

        assertThat(envelope).endsWith(",\"data\":" + payload + "}");
        JsonNode tree = PLAIN.readTree(envelope);
        assertThat(fieldNames(tree)).containsExactly("id", "type", "timestamp", "resource", "resource_id", "data");
        assertThat(tree.get("id").asText()).isEqualTo("evt_1");
        assertThat(tree.get("type").asText()).isEqualTo("order.completed");
        assertThat(tree.get("timestamp").asText()).isEqualTo("2026-04-17T18:22:00Z");
        assertThat(tree.get("resource").asText()).isEqualTo("order");
        assertThat(tree.get("resource_id").asText()).isEqualTo("ord_\"77");
        assertThat(tree.get("data").isObject()).isTrue();
    }

    @Test
    void theEnvelopeKeepsTheHostilePayloadsKeyOrderAndDigits() throws Exception {
        String envelope = new String(WebhookBody.of(throughTheQueue(HOSTILE, ""), PayloadFormat.ENVELOPE), StandardCharsets.UTF_8);

        JsonNode data = PLAIN.readTree(envelope).get("data");
        assertThat(fieldNames(data)).containsExactly("amount", "z", "a", "esc", "big", "exp", "neg");
        assertThat(fieldNames(data.get("a"))).containsExactly("y", "x");
        assertThat(envelope).contains("12345678901234567890.12345678901234567890", "123456789012345678901234567890",
                "1e400", "-0.0", "\\ud83d\\ude00", "\\u00e9", "é — 日本語");
        assertThat(data.get("a").get("x").asText()).isEqualTo("é — 日本語 \uD83D\uDE00");
    }

    @Test
    void anEnvelopeWithoutResourceHasJsonNulls() throws Exception {
        DeliveryJob job = new DeliveryJob("ws_1", "", "ep_1", "evt_2", "user.created", CREATED, null, null, "{\"k\":1}");
        DeliveryJob roundTripped = DeliveryJob.fromMessageBody(job.toMessageBody());

        String envelope = new String(WebhookBody.of(roundTripped, PayloadFormat.ENVELOPE), StandardCharsets.UTF_8);

        assertThat(roundTripped).isEqualTo(job);
        JsonNode tree = PLAIN.readTree(envelope);
        assertThat(fieldNames(tree)).containsExactly("id", "type", "timestamp", "resource", "resource_id", "data");
        assertThat(tree.get("resource").isNull()).isTrue();
        assertThat(tree.get("resource_id").isNull()).isTrue();
        assertThat(envelope).endsWith(",\"data\":{\"k\":1}}");
    }

    @Test
    void stringsNeedingEscapesInTheEnvelopeStayValidJson() throws Exception {
        DeliveryJob job = new DeliveryJob("ws_1", "", "ep_1", "evt_3", "a.b", CREATED, "line\nbreak\ttab\u0001\u2028",
                "back\\slash\"quote", "{}");

        String envelope = new String(WebhookBody.of(DeliveryJob.fromMessageBody(job.toMessageBody()), PayloadFormat.ENVELOPE),
                StandardCharsets.UTF_8);

        JsonNode tree = PLAIN.readTree(envelope);
        assertThat(tree.get("resource").asText()).isEqualTo("line\nbreak\ttab\u0001\u2028");
        assertThat(tree.get("resource_id").asText()).isEqualTo("back\\slash\"quote");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
