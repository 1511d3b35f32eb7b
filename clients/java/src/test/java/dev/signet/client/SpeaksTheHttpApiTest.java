package dev.signet.client;

import com.fasterxml.jackson.databind.util.RawValue;
import dev.signet.client.Loopback.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every route the client calls, against a loopback server: the request it sends (method, path,
 * query, headers, body) and how it reads answers a running stack seldom gives (a page that is empty
 * yet not the last, a server that fails to move resume_since forward, fields it does not know).
 * JavaClientWorksAgainstLocalModeTest (module local) runs every route against the real API.
 */
class SpeaksTheHttpApiTest {
    private Loopback server;
    private SignetClient admin;

    @BeforeEach
    void start() throws IOException {
        server = new Loopback();
        admin = server.client("sgn_admin_x", RetrySettings.none(), new ArrayList<>());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void emitSendsTheEventWithTheIngestKeyAndTheGivenIdempotencyKey() {
        server.then(Reply.json(202, "{\"id\":\"evt_01K\",\"deliveries\":2}"));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("order_id", "ord_lannister_77");
        payload.put("total_cents", 12900);
        Emitted e = admin.withApiKey("sgn_ik_casterly").events()
                .emit(NewEvent.of("order.completed", payload).about("order", "ord_lannister_77"), "order-77-completed");

        assertThat(e).isEqualTo(new Emitted("evt_01K", 2));
        Loopback.Request r = server.last();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.target()).isEqualTo("/v1/events");
        assertThat(r.header("authorization")).isEqualTo("Bearer sgn_ik_casterly");
        assertThat(r.header("idempotency-key")).isEqualTo("order-77-completed");
        assertThat(r.header("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(r.body()).isEqualTo("{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\","
                + "\"payload\":{\"order_id\":\"ord_lannister_77\",\"total_cents\":12900}}");
    }

    @Test
    void aRawPayloadIsSentByteForByte() {
        server.then(Reply.json(202, "{\"id\":\"evt_1\",\"deliveries\":0}"));
        String exact = "{\"amount\":12345678901234567890.000000000000000001,\"k\":\"\\u00e9\"}";
        admin.events().emit(NewEvent.of("order.completed", new RawValue(exact)));
        assertThat(server.last().body()).isEqualTo("{\"event\":\"order.completed\",\"payload\":" + exact + "}");
    }

    @Test
    void aBatchAnswersOneItemPerEventInOrder() {
        server.then(Reply.json(202, "{\"results\":[{\"id\":\"evt_1\",\"deliveries\":1},"
                + "{\"error\":{\"code\":\"invalid_request\",\"message\":\"event must match …\",\"field\":\"event\"}}]}"));
        List<BatchItem> items = admin.events().emitBatch(List.of(NewEvent.of("a", Map.of("n", 1)), NewEvent.of("b c", Map.of())));

        assertThat(items).containsExactly(new Emitted("evt_1", 1), new Rejected("invalid_request", "event must match …", "event"));
        assertThat(server.last().target()).isEqualTo("/v1/events/batch");
        assertThat(server.last().header("idempotency-key")).isNotBlank();
        assertThat(server.last().body()).isEqualTo("{\"events\":[{\"event\":\"a\",\"payload\":{\"n\":1}},{\"event\":\"b c\",\"payload\":{}}]}");
        assertThatThrownBy(() -> admin.events().emitBatch(List.of())).hasMessageContaining("1 to 100 events");
    }

    @Test
    void workspacesAreCreatedReadDeletedAndTheirIngestKeyRotated() {
        server.then(Reply.json(201, "{\"id\":\"casterly\",\"name\":\"Casterly\",\"created_at\":\"2026-04-17T18:22:00Z\",\"ingest_key\":\"sgn_ik_1\"}"))
                .then(Reply.json(200, "{\"id\":\"casterly\",\"name\":\"Casterly\",\"created_at\":\"2026-04-17T18:22:00Z\"}"))
                .then(Reply.json(201, "{\"ingest_key\":\"sgn_ik_2\"}"))
                .then(Reply.empty(204));
        Workspaces ws = admin.workspaces();

        CreatedWorkspace created = ws.create("Casterly", "casterly");
        assertThat(created.ingestKey()).isEqualTo("sgn_ik_1");
        assertThat(created.toString()).doesNotContain("sgn_ik_1");
        assertThat(server.last().body()).isEqualTo("{\"name\":\"Casterly\",\"id\":\"casterly\"}");
        assertThat(ws.get("casterly")).isEqualTo(new Workspace("casterly", "Casterly", Instant.parse("2026-04-17T18:22:00Z")));
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly");
        assertThat(ws.rotateIngestKey("casterly")).isEqualTo("sgn_ik_2");
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/ingest-keys");
        ws.delete("casterly");
        assertThat(server.last().method()).isEqualTo("DELETE");
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly");
    }

    @Test
    void workspacesAreListedPageByPageFollowingTheCursor() {
        server.then(Reply.json(200, "{\"data\":[{\"id\":\"a\",\"name\":\"A\",\"created_at\":\"2026-04-17T18:22:00Z\"}],\"next_cursor\":\"c/1+\"}"))
                .then(Reply.json(200, "{\"data\":[],\"next_cursor\":\"c2\"}"))
                .then(Reply.json(200, "{\"data\":[{\"id\":\"b\",\"name\":\"B\",\"created_at\":\"2026-04-17T18:23:00Z\"}],\"next_cursor\":null}"));

        assertThat(admin.workspaces().all().items().map(Workspace::id)).containsExactly("a", "b");
        assertThat(server.received()).extracting(Loopback.Request::target)
                .containsExactly("/v1/workspaces", "/v1/workspaces?cursor=c%2F1%2B", "/v1/workspaces?cursor=c2");

        server.then(Reply.json(200, "{\"data\":[],\"next_cursor\":null}"));
        assertThat(admin.workspaces().list(10, null).next()).isEmpty();
        assertThat(server.last().target()).isEqualTo("/v1/workspaces?limit=10");

        server.then(Reply.json(200, "{\"data\":[{\"id\":\"a\",\"name\":\"A\",\"created_at\":\"2026-04-17T18:22:00Z\"}],\"next_cursor\":\"c3\"}"))
                .then(Reply.json(200, "{\"data\":[],\"next_cursor\":null}"));
        assertThat(admin.workspaces().all(1).items().map(Workspace::id)).containsExactly("a");
        assertThat(server.received()).extracting(Loopback.Request::target).endsWith("/v1/workspaces?limit=1", "/v1/workspaces?limit=1&cursor=c3");
    }

    @Test
    void sessionsAreMintedWithTheirPortalUrlAndRevokedTogether() {
        server.then(Reply.json(201, "{\"token\":\"sgn_st_1\",\"expires_at\":\"2026-04-17T18:37:00Z\","
                + "\"portal_url\":\"https://api.example.com/portal#token=sgn_st_1&workspace=casterly\"}")).then(Reply.empty(204));

        Session s = admin.workspaces().createSession("casterly", Duration.ofMinutes(15));
        assertThat(s.portalUrl()).startsWith("https://api.example.com/portal#token=sgn_st_1");
        assertThat(s.expiresAt()).isEqualTo(Instant.parse("2026-04-17T18:37:00Z"));
        assertThat(s.toString()).doesNotContain("sgn_st_1");
        assertThat(server.last().body()).isEqualTo("{\"ttl_seconds\":900}");

        admin.workspaces().revokeSessions("casterly");
        assertThat(server.last().method()).isEqualTo("DELETE");
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/sessions");
    }

    @Test
    void aV1aEndpointWithMutualTlsReadsItsPublicKeyAndCertificate() {
        server.then(Reply.json(200, "{\"id\":\"ep_2\",\"url\":\"https://hooks.example.com/y\",\"method\":\"POST\","
                + "\"auth\":{\"type\":\"oauth2_client_credentials\"},\"timeout_seconds\":15,\"enabled\":true,"
                + "\"signature_scheme\":\"v1a\",\"secret_hint\":null,\"public_key\":\"whpk_MCowBQYDK2VwAyEA\","
                + "\"tls_client_certificate\":{\"subject\":\"CN=casterly,O=Lannister\",\"not_after\":\"2027-04-17T18:22:00Z\"},"
                + "\"created_at\":\"2026-04-17T18:22:00Z\",\"updated_at\":\"2026-04-17T18:23:00Z\"}"));

        Endpoint read = admin.endpoints().get("casterly", "ep_2");

        assertThat(read.signatureScheme()).isEqualTo("v1a");
        assertThat(read.publicKey()).isEqualTo("whpk_MCowBQYDK2VwAyEA");
        assertThat(read.secretHint()).isNull();
        assertThat(read.authType()).isEqualTo("oauth2_client_credentials");
        assertThat(read.tlsClientCertificate())
                .isEqualTo(new Endpoint.TlsClientCertificate("CN=casterly,O=Lannister", Instant.parse("2027-04-17T18:22:00Z")));
    }

    @Test
    void endpointsAreReadEnabledDisabledAndDeleted() {
        String ep = "{\"id\":\"ep_1\",\"url\":\"https://hooks.example.com/signet\",\"description\":\"\",\"method\":\"POST\","
                + "\"payload_format\":\"envelope\",\"event_types\":[\"order.completed\"],\"headers\":{\"x-team\":\"billing\"},"
                + "\"auth\":{\"type\":\"bearer\"},\"timeout_seconds\":15,\"enabled\":false,\"disabled_reason\":\"disabled by the operator\","
                + "\"disabled_by\":\"operator\",\"secret_hint\":\"whsec_…Jk3Q\",\"created_at\":\"2026-04-17T18:22:00Z\","
                + "\"updated_at\":\"2026-04-17T18:23:00Z\",\"something_new\":1}";
        server.then(Reply.json(200, "{\"data\":[" + ep + "]}")).then(Reply.json(200, ep)).then(Reply.json(200, ep))
                .then(Reply.json(200, ep)).then(Reply.empty(204));

        Endpoint read = admin.endpoints().list("casterly").get(0);
        assertThat(read.eventTypes()).containsExactly("order.completed");
        assertThat(read.headers()).containsEntry("x-team", "billing");
        assertThat(read.authType()).isEqualTo("bearer");
        assertThat(read.enabled()).isFalse();
        assertThat(read.disabledBy()).isEqualTo("operator");
        assertThat(read.publicKey()).isNull();
        assertThat(read.tlsClientCertificate()).isNull();
        assertThat(read.updatedAt()).isEqualTo(Instant.parse("2026-04-17T18:23:00Z"));
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/endpoints");

        assertThat(admin.endpoints().get("casterly", "ep_1")).isEqualTo(read);
        admin.endpoints().disable("casterly", "ep_1");
        assertThat(server.last().method()).isEqualTo("PATCH");
        assertThat(server.last().body()).isEqualTo("{\"enabled\":false}");
        admin.endpoints().enable("casterly", "ep_1");
        assertThat(server.last().body()).isEqualTo("{\"enabled\":true}");
        admin.endpoints().delete("casterly", "ep_1");
        assertThat(server.last().method()).isEqualTo("DELETE");
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/endpoints/ep_1");
    }

    @Test
    void endpointStatisticsAreReadForThePeriodAsked() {
        String stats = "{\"period\":\"7d\",\"bucket_seconds\":3600,\"buckets\":["
                + "{\"start\":\"2026-04-17T17:00:00Z\",\"succeeded\":0,\"failed\":0,\"dead_lettered\":0,\"duration_ms_avg\":null},"
                + "{\"start\":\"2026-04-17T18:00:00Z\",\"succeeded\":12,\"failed\":3,\"dead_lettered\":1,\"duration_ms_avg\":41}],"
                + "\"totals\":{\"succeeded\":12,\"failed\":3,\"dead_lettered\":1}}";
        server.then(Reply.json(200, stats)).then(Reply.json(200, stats.replace("7d", "24h")));

        EndpointStats week = admin.endpoints().stats("casterly", "ep_1", EndpointStats.Period.LAST_7_DAYS);
        assertThat(server.last().method()).isEqualTo("GET");
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/endpoints/ep_1/stats?period=7d");
        assertThat(week.period()).isEqualTo(EndpointStats.Period.LAST_7_DAYS);
        assertThat(week.bucketSeconds()).isEqualTo(3600);
        assertThat(week.buckets()).containsExactly(
                new EndpointStats.Bucket(Instant.parse("2026-04-17T17:00:00Z"), 0, 0, 0, null),
                new EndpointStats.Bucket(Instant.parse("2026-04-17T18:00:00Z"), 12, 3, 1, 41L));
        assertThat(week.totals()).isEqualTo(new EndpointStats.Totals(12, 3, 1));

        assertThat(admin.endpoints().stats("casterly", "ep_1").period()).isEqualTo(EndpointStats.Period.LAST_24_HOURS);
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/endpoints/ep_1/stats?period=24h");
    }

    @Test
    void theDeliveryLogIsPagedWithItsFiltersAndAnEmptyPageDoesNotEndIt() {
        String att = "{\"id\":\"att_2\",\"event_id\":\"evt_1\",\"endpoint_id\":\"ep_1\",\"attempt\":2,\"status\":\"failed\","
                + "\"response_status\":503,\"response_body\":\"down\",\"error\":\"receiver answered HTTP 503\",\"duration_ms\":41,"
                + "\"created_at\":\"2026-04-17T18:22:05Z\",\"next_attempt_at\":\"2026-04-17T18:27:05Z\",\"url\":\"https://h/x\",\"trigger\":\"event\"}";
        String timedOut = "{\"id\":\"att_1\",\"event_id\":\"evt_1\",\"endpoint_id\":\"ep_1\",\"attempt\":1,\"status\":\"failed\","
                + "\"response_status\":null,\"response_body\":null,\"error\":\"timed out\",\"duration_ms\":15000,"
                + "\"created_at\":\"2026-04-17T18:22:00Z\",\"next_attempt_at\":null}";
        server.then(Reply.json(200, "{\"data\":[" + att + "],\"next_cursor\":\"p2\"}"))
                .then(Reply.json(200, "{\"data\":[],\"next_cursor\":\"p3\"}"))
                .then(Reply.json(200, "{\"data\":[" + timedOut + "],\"next_cursor\":null}"));

        List<Page<Attempt>> pages = new ArrayList<>();
        admin.deliveryLog().attempts("casterly", AttemptQuery.all().endpoint("ep_1").status("failed").limit(1)).forEach(pages::add);

        assertThat(pages).hasSize(3);
        Attempt first = pages.get(0).data().get(0);
        assertThat(first).isEqualTo(new Attempt("att_2", "evt_1", "ep_1", 2, "failed", 503, "down", "receiver answered HTTP 503", 41,
                Instant.parse("2026-04-17T18:22:05Z"), Instant.parse("2026-04-17T18:27:05Z"), "https://h/x", "event"));
        Attempt last = pages.get(2).data().get(0);
        assertThat(last.responseStatus()).isNull();
        assertThat(last.nextAttemptAt()).isNull();
        assertThat(last.trigger()).isNull();
        assertThat(server.received()).extracting(Loopback.Request::target).containsExactly(
                "/v1/workspaces/casterly/attempts?endpoint_id=ep_1&status=failed&limit=1",
                "/v1/workspaces/casterly/attempts?endpoint_id=ep_1&status=failed&limit=1&cursor=p2",
                "/v1/workspaces/casterly/attempts?endpoint_id=ep_1&status=failed&limit=1&cursor=p3");
    }

    @Test
    void eventDetailKeepsThePayloadsNumbersExact() {
        server.then(Reply.json(200, "{\"id\":\"evt_1\",\"event\":\"order.completed\",\"created_at\":\"2026-04-17T18:22:00Z\","
                + "\"resource\":null,\"resource_id\":null,\"payload\":{\"big\":123456789012345678901234567890,\"price\":0.1000000000000000000001},"
                + "\"deliveries\":[{\"endpoint_id\":\"ep_1\",\"status\":\"dead_lettered\",\"attempts\":8}]}"));
        EventDetail d = admin.deliveryLog().event("casterly", "evt_1");

        assertThat(d.payload().path("big").bigIntegerValue()).hasToString("123456789012345678901234567890");
        assertThat(d.payload().path("price").decimalValue()).isEqualByComparingTo(new BigDecimal("0.1000000000000000000001"));
        assertThat(d.resource()).isNull();
        assertThat(d.deliveries()).containsExactly(new EventDetail.Delivery("ep_1", "dead_lettered", 8));
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/events/evt_1");
    }

    @Test
    void retryNamesTheEndpointWhenGiven() {
        server.then(Reply.json(202, "{\"queued\":1}")).then(Reply.json(202, "{\"queued\":3}"));
        assertThat(admin.deliveryLog().retry("casterly", "evt_1", "ep_1")).isEqualTo(1);
        assertThat(server.last().body()).isEqualTo("{\"endpoint_id\":\"ep_1\"}");
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/events/evt_1/retry");
        assertThat(admin.deliveryLog().retry("casterly", "evt_1")).isEqualTo(3);
        assertThat(server.last().body()).isEqualTo("{}");
    }

    @Test
    void recoverFollowsResumeSinceUntilTheWindowIsDone() {
        server.then(Reply.json(202, "{\"queued\":5000,\"resume_since\":\"2026-04-17T09:30:00Z\"}"))
                .then(Reply.json(202, "{\"queued\":5000,\"resume_since\":\"2026-04-17T10:45:00Z\"}"))
                .then(Reply.json(202, "{\"queued\":12}"));
        Recovery r = admin.deliveryLog().recover("casterly", "ep_1", Instant.parse("2026-04-17T08:00:00Z"), Instant.parse("2026-04-17T12:00:00Z"));

        assertThat(r).isEqualTo(new Recovery(10_012, 3));
        assertThat(server.received()).extracting(Loopback.Request::body).containsExactly(
                "{\"since\":\"2026-04-17T08:00:00Z\",\"until\":\"2026-04-17T12:00:00Z\"}",
                "{\"since\":\"2026-04-17T09:30:00Z\",\"until\":\"2026-04-17T12:00:00Z\"}",
                "{\"since\":\"2026-04-17T10:45:00Z\",\"until\":\"2026-04-17T12:00:00Z\"}");
        assertThat(server.last().target()).isEqualTo("/v1/workspaces/casterly/endpoints/ep_1/recover");
    }

    @Test
    void recoverStopsWhenTheServerDoesNotMoveForward() {
        server.then(Reply.json(202, "{\"queued\":3,\"resume_since\":\"2026-04-17T08:00:00Z\"}"));
        assertThatThrownBy(() -> admin.deliveryLog().recover("casterly", "ep_1", Instant.parse("2026-04-17T08:00:00Z"), null))
                .isInstanceOf(SignetConnectionException.class).hasMessageContaining("not later than since");
        assertThat(server.last().body()).isEqualTo("{\"since\":\"2026-04-17T08:00:00Z\"}");
    }

    @Test
    void theEventTypeCatalogIsPutReadListedAndDeleted() {
        String type = "{\"name\":\"order.completed\",\"description\":\"An order was paid\",\"schema\":{\"type\":\"object\"},"
                + "\"example\":{\"order_id\":\"ord_1\"},\"validate\":true,\"deprecated\":false,\"updated_at\":\"2026-04-17T18:22:00Z\"}";
        server.then(Reply.json(201, type)).then(Reply.json(200, type)).then(Reply.json(200, "{\"data\":[" + type + "]}"))
                .then(Reply.empty(204));
        EventTypes catalog = admin.eventTypes();

        EventType put = catalog.put("order.completed", EventTypeDefinition.describedAs("An order was paid")
                .schema(Map.of("type", "object")).example(Map.of("order_id", "ord_1")).validating());
        assertThat(server.last().method()).isEqualTo("PUT");
        assertThat(server.last().target()).isEqualTo("/v1/event-types/order.completed");
        assertThat(server.last().body()).isEqualTo("{\"description\":\"An order was paid\",\"schema\":{\"type\":\"object\"},"
                + "\"example\":{\"order_id\":\"ord_1\"},\"validate\":true,\"deprecated\":false}");
        assertThat(put.validate()).isTrue();
        assertThat(put.schema().path("type").asText()).isEqualTo("object");
        assertThat(catalog.get("order.completed")).isEqualTo(put);
        assertThat(catalog.list()).containsExactly(put);
        assertThat(server.last().target()).isEqualTo("/v1/event-types");
        catalog.delete("order.completed");
        assertThat(server.last().method()).isEqualTo("DELETE");
    }

    @Test
    void pathSegmentsAreEncoded() {
        server.then(Reply.json(200, "{\"name\":\"invoice:paid v2\"}"));
        admin.eventTypes().get("invoice:paid v2");
        assertThat(server.last().target()).isEqualTo("/v1/event-types/invoice:paid%20v2");
    }

    @Test
    void egressAddressesAreListed() {
        server.then(Reply.json(200, "{\"ips\":[\"203.0.113.7\",\"203.0.113.8\"]}"));
        assertThat(admin.egressIps()).containsExactly("203.0.113.7", "203.0.113.8");
        assertThat(server.last().target()).isEqualTo("/v1/egress");
        assertThat(server.last().header("authorization")).isEqualTo("Bearer sgn_admin_x");
    }

    @Test
    void anErrorCarriesItsStatusCodeMessageAndField() {
        server.then(Reply.json(400, "{\"error\":{\"code\":\"invalid_request\",\"message\":\"payload/total_cents must be an integer\","
                + "\"field\":\"payload/total_cents\"}}"));
        assertThatThrownBy(() -> admin.events().emit(NewEvent.of("order.completed", Map.of("total_cents", "x"))))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_request");
                    assertThat(e.getMessage()).isEqualTo("payload/total_cents must be an integer");
                    assertThat(e.field()).contains("payload/total_cents");
                });
    }

    @Test
    void anErrorPageThatIsNotJsonStillGivesTheStatus() {
        server.then(Reply.json(502, "<html>Bad Gateway</html>"));
        assertThatThrownBy(() -> admin.workspaces().get("casterly"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.code()).isEqualTo("unknown");
                    assertThat(e.getMessage()).contains("HTTP 502").contains("Bad Gateway");
                    assertThat(e.field()).isEmpty();
                });
    }

    @Test
    void aBaseUrlWithAStagePathKeepsIt() {
        server.then(Reply.json(200, "{\"ips\":[]}"));
        SignetClient staged = SignetClient.builder().baseUrl(server.url() + "/prod/").apiKey("k").build();
        assertThat(staged.egressIps()).isEmpty();
        assertThat(server.last().target()).isEqualTo("/prod/v1/egress");
    }

    @Test
    void aClientWithoutUrlOrKeySaysWhatToSet() {
        assertThatThrownBy(() -> SignetClient.builder().apiKey("k").build()).hasMessageContaining("set baseUrl");
        assertThatThrownBy(() -> SignetClient.builder().baseUrl("http://127.0.0.1:8080").build()).hasMessageContaining("set apiKey");
        assertThatThrownBy(() -> SignetClient.builder().baseUrl("ftp://x")).hasMessageContaining("http(s) URL");
    }

}
