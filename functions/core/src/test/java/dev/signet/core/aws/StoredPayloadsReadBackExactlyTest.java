package dev.signet.core.aws;

import dev.signet.core.event.Event;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An event's payload is stored deflated when that is smaller (fewer write units, COST.md) and always
 * reads back as the exact text the product sent, key order, spacing and escapes included; items stored
 * as text before keep reading as they were.
 */
class StoredPayloadsReadBackExactlyTest {
    private static final String ORDER = "{\"order_id\":\"ord_1\",  \"note\":\"caf\\u00e9 \u00e9 \ud83d\ude00\",\"total_cents\":12900,"
            + "\"items\":[{\"sku\":\"sku_1\",\"qty\":2},{\"sku\":\"sku_2\",\"qty\":1}],\"customer\":{\"id\":\"cus_1\",\"email\":\"a@example.com\"},"
            + "\"shipping\":{\"street\":\"1 Main Street\",\"city\":\"Springfield\",\"country\":\"US\"},\"paid\":true,\"coupon\":null}";

    @Test
    void aJsonPayloadIsStoredDeflatedAndReadsBackByteForByte() {
        String payload = ORDER.replace("}", ",\"padding\":\"" + "lorem ipsum dolor sit amet ".repeat(20) + "\"}");
        Map<String, AttributeValue> item = EventsTable.eventItem(event(payload), 0);

        assertThat(item).containsKey(StoredPayload.DEFLATED).doesNotContainKey(StoredPayload.TEXT);
        assertThat(item.get(StoredPayload.DEFLATED).b().asByteArray().length).isLessThan(payload.length() / 2);
        assertThat(EventsTable.eventFrom("ws_1", "", "evt_1", item).payload()).isEqualTo(payload);
    }

    @Test
    void aSmallPayloadIsStoredAsText() {
        for (String payload : List.of("{\"a\":1}", "{\"order_id\":\"ord_1\",\"total_cents\":12900,\"currency\":\"usd\"}")) {
            Map<String, AttributeValue> item = EventsTable.eventItem(event(payload), 0);
            assertThat(item.get(StoredPayload.TEXT).s()).isEqualTo(payload);
            assertThat(item).doesNotContainKey(StoredPayload.DEFLATED);
            assertThat(EventsTable.eventFrom("ws_1", "", "evt_1", item).payload()).isEqualTo(payload);
        }
    }

    @Test
    void itemsWrittenAsTextBeforeStillRead() {
        Map<String, AttributeValue> item = new HashMap<>(EventsTable.eventItem(event(ORDER), 0));
        item.remove(StoredPayload.DEFLATED);
        item.put(StoredPayload.TEXT, AttributeValue.fromS(ORDER));
        assertThat(EventsTable.eventFrom("ws_1", "", "evt_1", item).payload()).isEqualTo(ORDER);
    }

    @Test
    void aCorruptedPayloadFailsLoudlyInsteadOfReadingAsSomethingElse() {
        Map<String, AttributeValue> item = new HashMap<>(EventsTable.eventItem(event(ORDER + " ".repeat(200)), 0));
        byte[] deflated = item.get(StoredPayload.DEFLATED).b().asByteArray();
        item.put(StoredPayload.DEFLATED, AttributeValue.fromB(SdkBytes.fromByteArray(java.util.Arrays.copyOf(deflated, deflated.length / 2))));
        assertThatThrownBy(() -> EventsTable.eventFrom("ws_1", "", "evt_1", item)).hasMessageContaining("corrupted");
    }

    private static Event event(String payload) {
        return new Event("evt_1", "ws_1", "", "order.completed", Instant.parse("2026-04-17T18:22:00Z"), "order", "ord_1", payload,
                List.of("ep_1"), List.of());
    }
}
