package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.ids.Ids;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event's detail (openapi.yaml, the delivery log) shows the payload exactly as emitted and, per endpoint it went to,
 * where its delivery stands: the latest attempt's status and how many attempts there were.
 */
class EventDetailTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    /** Keys out of order, a number no double holds, escapes and non-ASCII text: all must come back as sent. */
    static final String PAYLOAD = "{\"zeta\":1,\"total_cents\":123456789012345678901234567890,\"alpha\":{\"b\":2,\"a\":1.10},"
            + "\"note\":\"caf\\u00e9 \\\"ok\\\" \u00e9\",\"list\":[1e3,-0.0]}";

    static String endpoint(String url, String eventTypes) {
        return "{\"url\":\"" + url + "\",\"event_types\":" + eventTypes + "}";
    }

    @Test
    void showsTheExactPayloadAndEachEndpointsDeliveryStatus() throws Exception {
        try (TestReceiver ok = new TestReceiver();
             TestReceiver failing = new TestReceiver().answering(n -> TestReceiver.Reply.status(500));
             TestReceiver other = new TestReceiver()) {
            Tenant tenant = signet.tenant("detail", endpoint(ok.url(), "[\"order.completed\"]"));
            String failingId = createEndpoint(tenant, endpoint(failing.url(), "[]"));
            String otherId = createEndpoint(tenant, endpoint(other.url(), "[\"invoice.paid\"]"));

            ApiClient.Reply emitted = tenant.emit(signet.api(), "{\"event\":\"order.completed\",\"payload\":" + PAYLOAD + "}");
            assertThat(emitted.status()).as(emitted.body()).isEqualTo(202);
            String eventId = emitted.text("id");
            // 1 + 2 retries on the failing endpoint, the last dead-lettered; 1 on the healthy one.
            List<Attempt> attempts = Eventually.get(Duration.ofSeconds(40), () -> signet.attempts(tenant.workspaceId(), eventId),
                    a -> a.stream().anyMatch(x -> x.deliveryStatus() == Attempt.DeliveryStatus.DEAD_LETTERED)
                            && a.stream().anyMatch(x -> x.deliveryStatus() == Attempt.DeliveryStatus.SUCCEEDED));
            assertThat(attempts).hasSize(4);

            ApiClient.Reply detail = signet.api().get("/v1/workspaces/detail/events/" + eventId, tenant.sessionToken());
            assertThat(detail.status()).as(detail.body()).isEqualTo(200);
            assertThat(detail.body()).as("the payload spliced in byte for byte").contains("\"payload\":" + PAYLOAD + ",");
            JsonNode body = detail.json();
            assertThat(body.path("id").asText()).isEqualTo(eventId);
            assertThat(body.path("event").asText()).isEqualTo("order.completed");
            assertThat(Instant.parse(body.path("created_at").asText())).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(2, ChronoUnit.MINUTES));
            assertThat(body.path("payload").path("total_cents").bigIntegerValue()).hasToString("123456789012345678901234567890");
            assertThat(deliveries(body)).containsExactly(
                    tenant.endpointId() + " succeeded 1",
                    failingId + " dead_lettered 3");
            assertThat(deliveries(body)).noneMatch(d -> d.startsWith(otherId));

            ApiClient.Reply byAdmin = signet.api().get("/v1/workspaces/detail/events/" + eventId, signet.adminKey());
            assertThat(byAdmin.status()).isEqualTo(200);
            assertThat(byAdmin.body()).isEqualTo(detail.body());
            assertThat(other.requests()).isEmpty();
        }
    }

    @Test
    void anEndpointNotAttemptedYetIsPending() {
        Tenant tenant = signet.tenant("detail-pending", null);
        String eventId = Ids.newId("evt_", Instant.now());
        signet.events().putEvent(new Event(eventId, tenant.workspaceId(), signet.generation(tenant.workspaceId()), "order.completed", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                "order", "ord_1", "{\"n\":1}", List.of("ep_first", "ep_second")));
        signet.events().putAttempt(new Attempt(Ids.newId("att_", Instant.now()), tenant.workspaceId(), signet.generation(tenant.workspaceId()), eventId, "ep_second", 1,
                Attempt.Status.FAILED, 503, null, "receiver answered HTTP 503", 5, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS), Attempt.DeliveryStatus.PENDING));

        ApiClient.Reply detail = signet.api().get("/v1/workspaces/detail-pending/events/" + eventId, tenant.sessionToken());
        assertThat(detail.status()).as(detail.body()).isEqualTo(200);
        assertThat(detail.body()).contains("\"payload\":{\"n\":1},");
        assertThat(detail.json().path("resource").asText()).isEqualTo("order");
        assertThat(deliveries(detail.json())).containsExactly("ep_first pending 0", "ep_second pending 1");
    }

    @Test
    void anotherWorkspacesOrAnUnknownEventIsNotFound() {
        Tenant owner = signet.tenant("detail-owner", null);
        Tenant stranger = signet.tenant("detail-stranger", null);
        String eventId = Ids.newId("evt_", Instant.now());
        signet.events().putEvent(new Event(eventId, owner.workspaceId(), signet.generation(owner.workspaceId()), "order.completed", Instant.now().truncatedTo(ChronoUnit.SECONDS),
                null, null, "{}", List.of()));
        assertThat(signet.api().get("/v1/workspaces/detail-owner/events/" + eventId, owner.sessionToken()).status()).isEqualTo(200);

        assertNotFound(signet.api().get("/v1/workspaces/detail-stranger/events/" + eventId, stranger.sessionToken()));
        assertNotFound(signet.api().get("/v1/workspaces/detail-stranger/events/" + eventId, signet.adminKey()));
        assertNotFound(signet.api().get("/v1/workspaces/detail-owner/events/" + eventId, stranger.sessionToken()));
        assertNotFound(signet.api().get("/v1/workspaces/detail-owner/events/" + Ids.newId("evt_", Instant.now()), owner.sessionToken()));
        assertNotFound(signet.api().get("/v1/workspaces/detail-owner/events/evt%23event", owner.sessionToken()));
        assertThat(signet.api().get("/v1/workspaces/detail-owner/events/" + eventId, owner.ingestKey()).status()).isEqualTo(403);
    }

    private static void assertNotFound(ApiClient.Reply r) {
        assertThat(r.status()).as(r.body()).isEqualTo(404);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("not_found");
    }

    private static List<String> deliveries(JsonNode body) {
        return java.util.stream.StreamSupport.stream(body.path("deliveries").spliterator(), false)
                .map(d -> d.path("endpoint_id").asText() + " " + d.path("status").asText() + " " + d.path("attempts").asInt())
                .toList();
    }

    static String createEndpoint(Tenant tenant, String json) {
        ApiClient.Reply r = signet.api().post("/v1/workspaces/" + tenant.workspaceId() + "/endpoints", tenant.sessionToken(), json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }
}
