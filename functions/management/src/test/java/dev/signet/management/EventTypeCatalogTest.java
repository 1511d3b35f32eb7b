package dev.signet.management;

import dev.signet.core.event.DeliveryJob;
import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.signet.management.ManagementOverMemory.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event type catalog: the admin key writes it (a schema must be JSON Schema 2020-12 that refers
 * only to itself, the example must satisfy it), any portal session reads it, and a test event of a
 * catalogued type carries the type's example.
 */
class EventTypeCatalogTest {
    private static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"order_id\"],\"properties\":"
            + "{\"order_id\":{\"type\":\"string\"},\"total_cents\":{\"type\":\"integer\"}}}";
    private static final String EXAMPLE = "{\"order_id\":\"ord_tyrell_12\",\"total_cents\":4200}";

    private final ManagementOverMemory api = new ManagementOverMemory(new MutableClock(Instant.parse("2026-04-17T18:22:00Z")));

    private ManagementOverMemory.Reply put(String name, String body) {
        return api.call("PUT", "/v1/event-types/" + name, ADMIN, body);
    }

    @Test
    void theAdminKeyCreatesAndReplacesTypesThatEverySessionReadsByName() {
        ManagementOverMemory.Reply created = put("order.completed",
                "{\"description\":\"An order was paid\",\"schema\":" + SCHEMA + ",\"example\":" + EXAMPLE + ",\"validate\":true}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().path("schema").path("required").get(0).asText()).isEqualTo("order_id");
        assertThat(created.json().path("example").path("total_cents").asInt()).isEqualTo(4200);
        assertThat(created.json().path("validate").asBoolean()).isTrue();
        assertThat(created.text("updated_at")).isEqualTo("2026-04-17T18:22:00Z");
        assertThat(put("order.completed", "{\"description\":\"An order was paid in full\",\"deprecated\":true}").status()).isEqualTo(200);
        assertThat(put("invoice.paid", "{\"description\":\"An invoice was paid\"}").status()).isEqualTo(201);

        String session = api.workspaceWithSession("casterly");
        ManagementOverMemory.Reply list = api.call("GET", "/v1/event-types", session, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().path("data").findValuesAsText("name")).containsExactly("invoice.paid", "order.completed");
        ManagementOverMemory.Reply one = api.call("GET", "/v1/event-types/order.completed", session, null);
        assertThat(one.text("description")).isEqualTo("An order was paid in full");
        assertThat(one.json().path("deprecated").asBoolean()).isTrue();
        assertThat(one.json().path("schema").isNull()).as("a PUT replaces the whole type").isTrue();

        assertThat(api.call("PUT", "/v1/event-types/order.completed", session, "{\"description\":\"x\"}").status()).isEqualTo(403);
        assertThat(api.call("DELETE", "/v1/event-types/order.completed", session, null).status()).isEqualTo(403);
        assertThat(api.call("GET", "/v1/event-types/order.shipped", session, null).status()).isEqualTo(404);

        assertThat(api.call("DELETE", "/v1/event-types/order.completed", ADMIN, null).status()).isEqualTo(204);
        assertThat(api.call("GET", "/v1/event-types/order.completed", ADMIN, null).status()).isEqualTo(404);
        assertThat(api.call("DELETE", "/v1/event-types/order.completed", ADMIN, null).status()).isEqualTo(404);
    }

    @Test
    void anIngestKeyCannotReadTheCatalog() {
        ManagementOverMemory.Reply ws = api.call("POST", "/v1/workspaces", ADMIN, "{\"name\":\"Riverrun\",\"id\":\"riverrun\"}");
        assertThat(api.call("GET", "/v1/event-types", ws.text("ingest_key"), null).status()).isEqualTo(403);
    }

    @Test
    void anExampleThatFailsTheSchemaIsRefusedNamingTheExample() {
        ManagementOverMemory.Reply r = put("order.completed", "{\"description\":\"d\",\"schema\":" + SCHEMA
                + ",\"example\":{\"order_id\":\"ord_1\",\"total_cents\":\"lots\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("field").asText()).isEqualTo("example");
        assertThat(r.json().path("error").path("message").asText()).contains("/total_cents");
        assertThat(put("order.completed", "{\"description\":\"d\",\"example\":[1]}").json().path("error").path("field").asText())
                .isEqualTo("example");
        assertThat(api.stores.catalog().list()).isEmpty();
    }

    @Test
    void aSchemaMustBe2020TwelveAndReferOnlyToItself() {
        for (String schema : List.of(
                "{\"type\":\"objekt\"}",
                "{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"object\"}",
                "{\"$ref\":\"https://schemas.example.com/order.json\"}",
                "{\"properties\":{\"a\":{\"$ref\":\"file:///etc/passwd\"}}}",
                "\"object\"")) {
            ManagementOverMemory.Reply r = put("order.completed", "{\"description\":\"d\",\"schema\":" + schema + "}");
            assertThat(r.status()).as(schema).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).as(schema).isEqualTo("schema");
        }
        ManagementOverMemory.Reply local = put("order.completed", "{\"description\":\"d\",\"schema\":{\"$defs\":{\"id\":{\"type\":\"string\"}},"
                + "\"properties\":{\"order_id\":{\"$ref\":\"#/$defs/id\"}}}}");
        assertThat(local.status()).as(local.body()).isEqualTo(201);
        ManagementOverMemory.Reply noSchema = put("order.refunded", "{\"description\":\"d\",\"validate\":true}");
        assertThat(noSchema.json().path("error").path("field").asText()).isEqualTo("validate");
        assertThat(put("bad name", "{\"description\":\"d\"}").status()).isEqualTo(404);
    }

    @Test
    void aTestEventOfACataloguedTypeCarriesItsExample() {
        put("order.completed", "{\"description\":\"d\",\"schema\":" + SCHEMA + ",\"example\":" + EXAMPLE + "}");
        String session = api.workspaceWithSession("casterly");
        String ep = api.endpoint("casterly", session);

        assertThat(api.call("POST", "/v1/workspaces/casterly/endpoints/" + ep + "/test", session, "{\"event\":\"order.completed\"}").status())
                .isEqualTo(202);
        assertThat(api.call("POST", "/v1/workspaces/casterly/endpoints/" + ep + "/test", session, "{\"event\":\"order.shipped\"}").status())
                .isEqualTo(202);
        List<DeliveryJob> jobs = api.stores.queue().enqueued();
        assertThat(jobs.get(0).payload()).isEqualTo(EXAMPLE);
        assertThat(jobs.get(1).payload()).isEqualTo("{\"example\":true,\"event\":\"order.shipped\"}");
    }
}
