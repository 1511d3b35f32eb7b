package dev.signet.management;

import dev.signet.core.json.Json;

/**
 * What a test event carries. {@code order.completed} is the seed's order; any other type gets a small
 * generic payload, {@code {"example":true,"event":"<type>"}}, with no resource.
 */
final class SampleEvents {
    static final String DEFAULT_TYPE = "order.completed";

    /** A sample's resource, resource id and payload (exact JSON text, as ingest would store it). */
    record Sample(String resource, String resourceId, String payload) {
    }

    private static final Sample ORDER_COMPLETED = new Sample("order", "ord_lannister_77",
            "{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"account_id\":\"acc_casterly\","
                    + "\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,\"completed_at\":\"2026-04-17T18:22:00Z\"}");

    private SampleEvents() {
    }

    static Sample of(String type) {
        if (type.equals(DEFAULT_TYPE)) {
            return ORDER_COMPLETED;
        }
        StringBuilder payload = new StringBuilder("{\"example\":true,\"event\":");
        Json.appendString(payload, type).append('}');
        return new Sample(null, null, payload.toString());
    }
}
