package dev.signet.core.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A batch (README, "Emit events"; openapi.yaml): up to 100 events, one result per input in order; "a bad item fails alone, the
 * others are queued". A bad item must never shift the results of the items after it.
 */
class BatchItemsFailAloneTest {

    private static List<BatchItem> parse(String body) {
        return EventInputParser.parseBatch(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String event(int i) {
        return "{\"event\":\"order.completed\",\"resource_id\":\"ord_" + i + "\",\"payload\":{\"n\":" + i + "}}";
    }

    private static String batchOf(int n) {
        StringJoiner events = new StringJoiner(",", "{\"events\":[", "]}");
        for (int i = 0; i < n; i++) {
            events.add(event(i));
        }
        return events.toString();
    }

    @Test
    void aHundredEventsAreAccepted() {
        List<BatchItem> results = parse(batchOf(100));

        assertThat(results).hasSize(100).allMatch(r -> r instanceof BatchItem.Valid);
        assertThat(eventOf(results.get(99)).payload()).isEqualTo("{\"n\":99}");
        assertThat(eventOf(results.get(0)).resourceId()).isEqualTo("ord_0");
    }

    @Test
    void aHundredAndOneEventsAreRejected() {
        assertThatThrownBy(() -> parse(batchOf(101)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 100")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("events");
    }

    @Test
    void anEmptyBatchIsRejected() {
        assertThatThrownBy(() -> parse("{\"events\":[]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("empty")
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("events");
    }

    @Test
    void aBatchWithoutEventsIsRejected() {
        assertThatThrownBy(() -> parse("{}"))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("events");
        assertThatThrownBy(() -> parse("{\"events\":{}}"))
                .isInstanceOf(InvalidInputException.class)
                .extracting(e -> ((InvalidInputException) e).field()).isEqualTo("events");
        assertThatThrownBy(() -> parse("{\"events\":[],\"extra\":1}"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void aBadItemFailsInItsOwnSlotAndTheOthersParse() {
        List<BatchItem> results = parse("{\"events\":[" + event(0) + ",{\"event\":\"bad name\",\"payload\":{}}," + event(2) + "]}");

        assertThat(results).hasSize(3);
        assertThat(results.get(0)).isInstanceOf(BatchItem.Valid.class);
        assertThat(fieldOf(results.get(1))).isEqualTo("events[1].event");
        assertThat(eventOf(results.get(2)).payload()).isEqualTo("{\"n\":2}");
    }

    @Test
    void eachKindOfBadItemIsNamedByItsIndex() {
        List<BatchItem> results = parse("{\"events\":["
                + "{\"payload\":{}},"                                        // 0: no event
                + "{\"event\":\"a\",\"payload\":[1]},"                       // 1: payload not an object
                + "{\"event\":\"a\",\"payload\":{},\"x\":{\"y\":[1]}},"      // 2: unknown field with a nested value
                + "42,"                                                       // 3: not an object
                + "{\"event\":\"a\",\"resource\":\"" + "r".repeat(257) + "\",\"payload\":{}}," // 4: resource too long
                + event(5)
                + "]}");

        assertThat(results).hasSize(6);
        assertThat(fieldOf(results.get(0))).isEqualTo("events[0].event");
        assertThat(fieldOf(results.get(1))).isEqualTo("events[1].payload");
        assertThat(fieldOf(results.get(2))).isEqualTo("events[2].x");
        assertThat(fieldOf(results.get(3))).isEqualTo("events[3]");
        assertThat(fieldOf(results.get(4))).isEqualTo("events[4].resource");
        assertThat(results.get(5)).isInstanceOf(BatchItem.Valid.class);
    }

    @Test
    void anItemWhoseEventIsAnObjectDoesNotShiftTheOthers() {
        List<BatchItem> results = parse("{\"events\":[{\"event\":{\"payload\":{}},\"payload\":{}}," + event(1) + "]}");

        assertThat(results).hasSize(2);
        assertThat(fieldOf(results.get(0))).isEqualTo("events[0].event");
        assertThat(eventOf(results.get(1)).resourceId()).isEqualTo("ord_1");
    }

    @Test
    void anItemWhoseEventIsAnArrayDoesNotShiftTheOthers() {
        List<BatchItem> results = parse("{\"events\":[{\"event\":[{}],\"payload\":{}}," + event(1) + "]}");

        assertThat(results).hasSize(2);
        assertThat(fieldOf(results.get(0))).isEqualTo("events[0].event");
        assertThat(results.get(1)).isInstanceOf(BatchItem.Valid.class);
    }

    @Test
    void malformedJsonRejectsTheWholeBatch() {
        assertThatThrownBy(() -> parse("{\"events\":[" + event(0) + ",{\"event\":}]}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void aBatchOver256KiBIsTooLarge() {
        String big = "{\"events\":[{\"event\":\"a\",\"payload\":{\"pad\":\"" + "x".repeat(256 * 1024) + "\"}}]}";

        assertThatThrownBy(() -> parse(big)).isInstanceOf(PayloadTooLargeException.class);
    }

    private static String fieldOf(BatchItem item) {
        assertThat(item).isInstanceOf(BatchItem.Invalid.class);
        return ((BatchItem.Invalid) item).problem().field();
    }

    private static EventInput eventOf(BatchItem item) {
        assertThat(item).isInstanceOf(BatchItem.Valid.class);
        return ((BatchItem.Valid) item).event();
    }
}
