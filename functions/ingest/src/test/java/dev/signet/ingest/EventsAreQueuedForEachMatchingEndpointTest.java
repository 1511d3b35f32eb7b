package dev.signet.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Event;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.signet.ingest.IngestFixture.ORDER_COMPLETED;
import static dev.signet.ingest.IngestFixture.WS;
import static dev.signet.ingest.IngestFixture.batchOf;
import static dev.signet.ingest.IngestFixture.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An emitted event is stored and queued once for every enabled endpoint whose event types match; a
 * batch answers one result per item in order, and a bad item fails alone (README, "Emit events").
 */
class EventsAreQueuedForEachMatchingEndpointTest {
    private final IngestFixture ingest = new IngestFixture();

    @Test
    void aSingleEventIsStoredAndQueuedOncePerMatchingEndpoint() {
        ingest.endpoint("ep_all");
        ingest.endpoint("ep_refunds", "order.refunded");
        ingest.endpoint("ep_orders", "order.completed", "order.refunded");

        IngestFixture.Reply r = ingest.emit(ORDER_COMPLETED);

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().path("id").asText();
        assertThat(id).startsWith("evt_");
        assertThat(r.json().path("deliveries").asInt()).isEqualTo(2);
        assertThat(ingest.stores.queue().enqueued()).extracting(DeliveryJob::endpointId, DeliveryJob::eventId)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("ep_all", id), org.assertj.core.groups.Tuple.tuple("ep_orders", id));
        Event stored = ingest.stores.events().getEvent(WS, ingest.generation(), id).orElseThrow();
        assertThat(stored.payload()).isEqualTo("{\"order_id\":\"ord_77\",\"total_cents\":12900}");
        assertThat(stored.endpointIds()).containsExactlyInAnyOrder("ep_all", "ep_orders");
        assertThat(stored.createdAt()).isEqualTo(IngestFixture.T0);
    }

    @Test
    void aDisabledEndpointWhoseFilterMatchesIsRecordedOnTheEventForRecover() {
        ingest.endpoint("ep_on");
        ingest.stores.config().put(disabled("ep_off_orders", "order.completed"));
        ingest.stores.config().put(disabled("ep_off_refunds", "order.refunded"));
        ingest.stores.config().put(disabled("ep_off_all"));

        IngestFixture.Reply r = ingest.emit(ORDER_COMPLETED);

        assertThat(r.json().path("deliveries").asInt()).isEqualTo(1);
        Event stored = ingest.stores.events().getEvent(WS, ingest.generation(), r.json().path("id").asText()).orElseThrow();
        assertThat(stored.endpointIds()).containsExactly("ep_on");
        assertThat(stored.missedEndpointIds()).as("the disabled endpoints it matched, on the event itself")
                .containsExactly("ep_off_all", "ep_off_orders");
        assertThat(ingest.stores.queue().enqueued()).extracting(DeliveryJob::endpointId).containsExactly("ep_on");
        assertThat(ingest.stores.queue().enqueued()).extracting(DeliveryJob::generation)
                .as("the job carries the workspace's generation").containsExactly(ingest.generation());
    }

    private static dev.signet.core.endpoint.Endpoint disabled(String id, String... eventTypes) {
        return new dev.signet.core.endpoint.Endpoint(id, WS, "https://hooks.example.com/" + id, "", "POST",
                dev.signet.core.endpoint.Endpoint.PayloadFormat.ENVELOPE, List.of(eventTypes), java.util.Map.of(),
                dev.signet.core.endpoint.Endpoint.AuthType.NONE, 15, false, "disabled by the workspace",
                dev.signet.core.endpoint.StoredCredentials.sealed("k1.never-opened", "whsec_…AAAA"),
                IngestFixture.T0, IngestFixture.T0);
    }

    @Test
    void anEventNoEndpointWantsIsStoredWithNoDeliveries() {
        ingest.endpoint("ep_refunds", "order.refunded");

        IngestFixture.Reply r = ingest.emit(ORDER_COMPLETED);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("deliveries").asInt()).isZero();
        assertThat(ingest.stores.events().getEvent(WS, ingest.generation(), r.json().path("id").asText())).isPresent();
        assertThat(ingest.stores.queue().enqueued()).isEmpty();
    }

    @Test
    void aBatchReportsEachItemInOrderAndQueuesOnlyTheValidOnes() {
        ingest.endpoint("ep_all");
        ingest.endpoint("ep_refunds", "order.refunded");

        IngestFixture.Reply r = ingest.emitBatch(batchOf(event("order.completed", 0), "{\"payload\":{}}",
                event("order.refunded", 2), "42", event("order.completed", 4)));

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode results = r.json().path("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).path("deliveries").asInt()).isEqualTo(1);
        assertThat(results.get(1).path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(results.get(1).path("error").path("field").asText()).isEqualTo("events[1].event");
        assertThat(results.get(2).path("deliveries").asInt()).isEqualTo(2);
        assertThat(results.get(3).path("error").path("field").asText()).isEqualTo("events[3]");
        assertThat(results.get(4).path("deliveries").asInt()).isEqualTo(1);
        List<String> ids = List.of(results.get(0).path("id").asText(), results.get(2).path("id").asText(), results.get(4).path("id").asText());
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.startsWith("evt_"));
        assertThat(ingest.stores.queue().enqueued()).extracting(DeliveryJob::eventId)
                .containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(1), ids.get(2));
        assertThat(ingest.stores.events().getEvent(WS, ingest.generation(), ids.get(2)).orElseThrow().payload()).isEqualTo("{\"n\":4}");
    }

    @Test
    void aBadBodyIsA400AndNothingIsStoredOrQueued() {
        ingest.endpoint("ep_all");

        IngestFixture.Reply r = ingest.emit("{\"event\":\"order completed!\",\"payload\":{}}");
        IngestFixture.Reply batch = ingest.emitBatch("{\"events\":[" + ORDER_COMPLETED + ",{\"event\":}]}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").path("field").asText()).isEqualTo("event");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.json().path("error").path("message").asText()).contains("not valid JSON");
        assertThat(ingest.stores.queue().enqueued()).isEmpty();
        assertThat(ingest.stores.events().storedEvents()).isEmpty();
    }
}
