package dev.signet.ingest;

import dev.signet.core.catalog.EventType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest checks a payload against its event type's JSON Schema when the catalog says to validate it:
 * a failing payload is a 400 whose field is {@code payload} and the JSON Pointer of the first failing
 * value, and nothing is stored or queued; other types, and types that do not validate, pass as before.
 * The catalog is read once per cache TTL, not per event.
 */
class PayloadsFollowTheirCataloguedSchemaTest {
    private static final String ORDER_SCHEMA = "{\"type\":\"object\",\"required\":[\"order_id\",\"total_cents\"],"
            + "\"properties\":{\"order_id\":{\"type\":\"string\"},\"total_cents\":{\"type\":\"integer\",\"minimum\":0},"
            + "\"lines\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"sku\":{\"type\":\"string\"}}}}}}";

    private final IngestFixture f = new IngestFixture();

    private void catalogue(String name, boolean validate) {
        f.stores.catalog().put(new EventType(name, "An order was paid", ORDER_SCHEMA, null, validate, false, IngestFixture.T0));
    }

    private static String order(String payload) {
        return "{\"event\":\"order.completed\",\"payload\":" + payload + "}";
    }

    @Test
    void aPayloadThatFailsTheSchemaIsRefusedNamingTheFailingValue() {
        f.endpoint("ep_1");
        catalogue("order.completed", true);

        IngestFixture.Reply wrongType = f.emit(order("{\"order_id\":\"ord_1\",\"total_cents\":\"12900\"}"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().path("error").path("field").asText()).isEqualTo("payload/total_cents");
        assertThat(wrongType.json().path("error").path("message").asText()).contains("order.completed").contains("integer");

        IngestFixture.Reply nested = f.emit(order("{\"order_id\":\"ord_1\",\"total_cents\":1,\"lines\":[{\"sku\":\"a\"},{\"sku\":7}]}"));
        assertThat(nested.json().path("error").path("field").asText()).isEqualTo("payload/lines/1/sku");

        IngestFixture.Reply missing = f.emit(order("{\"order_id\":\"ord_1\"}"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").path("field").asText()).isEqualTo("payload");
        assertThat(missing.json().path("error").path("message").asText()).contains("total_cents");

        assertThat(f.stores.events().storedEvents()).isEmpty();
        assertThat(f.stores.queue().enqueued()).isEmpty();

        assertThat(f.emit(order("{\"order_id\":\"ord_1\",\"total_cents\":12900}")).status()).isEqualTo(202);
        assertThat(f.stores.queue().enqueued()).hasSize(1);
    }

    @Test
    void typesOutsideTheCatalogOrNotValidatingAreAcceptedAsBefore() {
        f.endpoint("ep_1");
        catalogue("order.completed", false);
        assertThat(f.emit(order("{\"total_cents\":\"not a number\"}")).status()).isEqualTo(202);
        assertThat(f.emit("{\"event\":\"order.refunded\",\"payload\":{\"anything\":true}}").status()).isEqualTo(202);
    }

    @Test
    void inABatchOnlyTheFailingEventIsRefused() {
        f.endpoint("ep_1");
        catalogue("order.completed", true);
        IngestFixture.Reply r = f.emitBatch(IngestFixture.batchOf(
                order("{\"order_id\":\"ord_1\",\"total_cents\":1}"),
                order("{\"order_id\":\"ord_2\",\"total_cents\":-5}"),
                IngestFixture.event("order.refunded", 3)));
        assertThat(r.status()).isEqualTo(202);
        var results = r.json().path("results");
        assertThat(results.get(0).path("id").asText()).startsWith("evt_");
        assertThat(results.get(1).path("error").path("field").asText()).isEqualTo("events[1].payload/total_cents");
        assertThat(results.get(2).path("id").asText()).startsWith("evt_");
        assertThat(f.stores.queue().enqueued()).hasSize(2);
    }

    @Test
    void theCatalogIsReadOncePerCacheTtlAndAChangeArrivesAfterIt() {
        f.endpoint("ep_1");
        for (int i = 0; i < 5; i++) {
            assertThat(f.emit(order("{\"total_cents\":\"x\"}")).status()).isEqualTo(202);
        }
        assertThat(f.stores.catalog().lists()).isEqualTo(1);

        catalogue("order.completed", true);
        assertThat(f.emit(order("{\"total_cents\":\"x\"}")).status()).as("still within the TTL").isEqualTo(202);
        f.clock.advance(Duration.ofSeconds(31));
        assertThat(f.emit(order("{\"total_cents\":\"x\"}")).status()).isEqualTo(400);
        assertThat(f.stores.catalog().lists()).isEqualTo(2);
    }
}
