package dev.signet.it;

import dev.signet.client.Attempt;
import dev.signet.client.AttemptQuery;
import dev.signet.client.BatchItem;
import dev.signet.client.CreatedWorkspace;
import dev.signet.client.Emitted;
import dev.signet.client.Endpoint;
import dev.signet.client.EndpointStats;
import dev.signet.client.EventDetail;
import dev.signet.client.EventType;
import dev.signet.client.EventTypeDefinition;
import dev.signet.client.NewEvent;
import dev.signet.client.Page;
import dev.signet.client.Recovery;
import dev.signet.client.Rejected;
import dev.signet.client.Session;
import dev.signet.client.SignetApiException;
import dev.signet.client.SignetClient;
import dev.signet.client.Workspace;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * clients/java against a running stack, as a product backend uses it: the admin key makes a
 * workspace and a portal session, the customer adds an endpoint in the portal, the ingest key emits
 * (one or a batch, with an Idempotency-Key), and the admin key reads the delivery log, retries,
 * recovers (following resume_since), manages endpoints, workspaces, sessions and the event type
 * catalog, and reads endpoint statistics and the egress addresses: every method the client offers.
 */
class JavaClientWorksAgainstLocalModeTest {
    /** What the stack is configured to show at GET /v1/egress (a StaticEgress stack passes its NAT addresses). */
    static final List<String> EGRESS_IPS = List.of("203.0.113.7", "198.51.100.20");
    @RegisterExtension
    // Ingest reads the event type catalog once per cache TTL: 1 s, so a type put by a test applies at once.
    static final Signet signet = new Signet("1s,1s", Map.of("SIGNET_CACHE_TTL_SECONDS", "1",
            "SIGNET_EGRESS_IPS", String.join(",", EGRESS_IPS)));
    static TestReceiver receiver;
    static SignetClient admin;

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        admin = SignetClient.builder().baseUrl(signet.stack().baseUrl()).apiKey(signet.adminKey()).build();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    /** A workspace made with the client, and an endpoint the customer added with a portal session. */
    record Customer(String workspaceId, SignetClient ingest, String endpointId, String secret) {
    }

    static Customer customer(String workspaceId, String url) {
        CreatedWorkspace ws = admin.workspaces().create("Casterly", workspaceId);
        assertThat(ws.workspace().id()).isEqualTo(workspaceId);
        Session session = admin.workspaces().createSession(workspaceId, Duration.ofMinutes(10));
        assertThat(session.portalUrl()).startsWith(signet.stack().baseUrl() + "/portal#token=");
        assertThat(session.expiresAt()).isAfter(Instant.now());
        ApiClient.Reply ep = signet.api().post("/v1/workspaces/" + workspaceId + "/endpoints", session.token(), Tenant.endpointFor(url));
        assertThat(ep.status()).as(ep.body()).isEqualTo(201);
        return new Customer(workspaceId, admin.withApiKey(ws.ingestKey()), ep.text("id"), ep.text("secret"));
    }

    static NewEvent seed() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("order_id", "ord_lannister_77");
        payload.put("total_cents", 12900);
        payload.put("currency", "usd");
        return NewEvent.of("order.completed", payload).about("order", "ord_lannister_77");
    }

    static long deliveriesOf(TestReceiver r, String eventId) {
        return r.requests().stream().filter(q -> eventId.equals(q.header("webhook-id"))).count();
    }

    /** Emits {@code count} events {@code {"n":i}} and waits until the receiver got each of them. */
    static List<String> emitDelivered(Customer c, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(c.ingest().events().emit(NewEvent.of("order.completed", Map.of("n", i))).id());
        }
        Eventually.get(Duration.ofSeconds(20), () -> ids.stream().mapToLong(id -> deliveriesOf(receiver, id)).sum(), n -> n == count);
        return ids;
    }

    @Test
    void emitsWithAndWithoutAnIdempotencyKeyAndTheReceiverVerifiesWhatArrives() throws Exception {
        Customer c = customer("java-emit", receiver.url());

        Emitted plain = c.ingest().events().emit(seed());
        assertThat(plain.id()).startsWith("evt_");
        assertThat(plain.deliveries()).isEqualTo(1);
        Emitted keyed = c.ingest().events().emit(seed(), "order-77-completed");
        Emitted again = c.ingest().events().emit(seed(), "order-77-completed");
        assertThat(again).isEqualTo(keyed);
        assertThat(keyed.id()).isNotEqualTo(plain.id());

        Eventually.get(Duration.ofSeconds(20), () -> deliveriesOf(receiver, plain.id()) + deliveriesOf(receiver, keyed.id()), n -> n >= 2);
        assertThat(deliveriesOf(receiver, keyed.id())).isEqualTo(1);
        TestReceiver.Received got = receiver.requests().stream().filter(q -> plain.id().equals(q.header("webhook-id"))).findFirst().orElseThrow();
        assertThatCode(() -> got.verify(c.secret())).doesNotThrowAnyException();
        assertThat(got.bodyText()).contains("\"data\":{\"order_id\":\"ord_lannister_77\",\"total_cents\":12900,\"currency\":\"usd\"}");
    }

    @Test
    void keepsTheEventTypeCatalogWhoseSchemaIngestEnforces() {
        Map<String, Object> schema = Map.of("type", "object", "required", List.of("invoice_id"),
                "properties", Map.of("invoice_id", Map.of("type", "string"), "amount_cents", Map.of("type", "integer")));
        Map<String, Object> example = Map.of("invoice_id", "inv_tyrell_3", "amount_cents", 4200);
        EventType put = admin.eventTypes().put("java.invoice.paid",
                EventTypeDefinition.describedAs("An invoice was paid").schema(schema).example(example).validating());
        assertThat(put.validate()).isTrue();
        assertThat(put.example().path("amount_cents").asInt()).isEqualTo(4200);
        assertThat(put.schema().path("required").get(0).asText()).isEqualTo("invoice_id");
        assertThat(admin.eventTypes().list()).extracting(EventType::name).contains("java.invoice.paid");
        assertThat(admin.eventTypes().get("java.invoice.paid").description()).isEqualTo("An invoice was paid");

        assertThatThrownBy(() -> admin.eventTypes().put("java.invoice.paid", EventTypeDefinition.describedAs("An invoice was paid")
                .schema(schema).example(Map.of("amount_cents", 1))))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).contains("example");
                });

        Customer c = customer("java-catalog", receiver.url());
        SignetApiException refused = Eventually.get(Duration.ofSeconds(10), () -> {
            try {
                c.ingest().events().emit(NewEvent.of("java.invoice.paid", Map.of("invoice_id", "inv_1", "amount_cents", "lots")));
                return null;
            } catch (SignetApiException e) {
                return e;
            }
        }, e -> e != null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.field()).contains("payload/amount_cents");
        assertThat(c.ingest().events().emit(NewEvent.of("java.invoice.paid", example)).deliveries()).isEqualTo(1);

        admin.eventTypes().delete("java.invoice.paid");
        assertThatThrownBy(() -> admin.eventTypes().get("java.invoice.paid"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void emitsABatchInWhichABadItemFailsAlone() {
        Customer c = customer("java-batch", receiver.url());
        List<BatchItem> items = c.ingest().events().emitBatch(List.of(
                NewEvent.of("order.completed", Map.of("n", 1)),
                NewEvent.of("not a valid name", Map.of("n", 2)),
                NewEvent.of("order.refunded", Map.of("n", 3))));

        assertThat(items).hasSize(3);
        assertThat(items.get(0)).isInstanceOfSatisfying(Emitted.class, e -> assertThat(e.deliveries()).isEqualTo(1));
        assertThat(items.get(1)).isInstanceOfSatisfying(Rejected.class, r -> {
            assertThat(r.code()).isEqualTo("invalid_request");
            assertThat(r.field()).isEqualTo("events[1].event");
        });
        assertThat(items.get(2)).isInstanceOf(Emitted.class);
        String last = ((Emitted) items.get(2)).id();
        Eventually.get(Duration.ofSeconds(20), () -> deliveriesOf(receiver, last), n -> n == 1);

        // With an Idempotency-Key, the same batch again gets the first answer and queues nothing more.
        List<NewEvent> refunds = List.of(NewEvent.of("order.refunded", Map.of("n", 4)), NewEvent.of("order.refunded", Map.of("n", 5)));
        List<BatchItem> keyed = c.ingest().events().emitBatch(refunds, "refunds-of-order-77");
        assertThat(c.ingest().events().emitBatch(refunds, "refunds-of-order-77")).isEqualTo(keyed);
        assertThat(keyed).allSatisfy(i -> assertThat(i).isInstanceOfSatisfying(Emitted.class, e -> assertThat(e.deliveries()).isEqualTo(1)));
        List<String> refundIds = keyed.stream().map(i -> ((Emitted) i).id()).toList();
        assertThat(refundIds).doesNotHaveDuplicates().doesNotContain(last);
        Eventually.get(Duration.ofSeconds(20), () -> refundIds.stream().mapToLong(id -> deliveriesOf(receiver, id)).sum(), n -> n == 2);
        assertThat(refundIds).allSatisfy(id -> assertThat(deliveriesOf(receiver, id)).isOne());
        // Everything the batches queued went out, each once: the log of the workspace holds exactly that.
        assertThat(Eventually.get(Duration.ofSeconds(20),
                () -> admin.deliveryLog().attempts(c.workspaceId(), AttemptQuery.all()).items().map(Attempt::eventId).toList(),
                ids -> ids.size() == 4))
                .containsExactlyInAnyOrder(((Emitted) items.get(0)).id(), last, refundIds.get(0), refundIds.get(1));
    }

    @Test
    void pagesTheDeliveryLogNewestFirstWithoutRepeatsAndReadsAnEventsDetail() {
        Customer c = customer("java-log", receiver.url());
        List<String> ids = emitDelivered(c, 5);
        List<Attempt> all = Eventually.get(Duration.ofSeconds(20), () -> {
            List<Attempt> seen = new ArrayList<>();
            admin.deliveryLog().attempts(c.workspaceId(), AttemptQuery.all().endpoint(c.endpointId()).limit(2)).items().forEach(seen::add);
            return seen;
        }, seen -> seen.size() == 5);

        assertThat(all).extracting(Attempt::eventId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(all).extracting(Attempt::status).containsOnly("succeeded");
        assertThat(all).extracting(Attempt::responseStatus).containsOnly(200);
        // Newest first means by attempt id (openapi.yaml, listAttempts): a ULID whose time is when the
        // attempt was due. created_at is when it was made, which a queue wait can put out of that order.
        assertThat(all).extracting(Attempt::id).doesNotHaveDuplicates().isSortedAccordingTo(Comparator.reverseOrder());
        int pages = 0;
        for (Page<Attempt> page : admin.deliveryLog().attempts(c.workspaceId(), AttemptQuery.all().limit(2))) {
            assertThat(page.data()).hasSizeLessThanOrEqualTo(2);
            pages++;
        }
        assertThat(pages).isGreaterThanOrEqualTo(3);
        Page<Attempt> onlyFailed = admin.deliveryLog().attempts(c.workspaceId(), AttemptQuery.all().status("failed"), null);
        assertThat(onlyFailed.data()).isEmpty();

        EventDetail detail = admin.deliveryLog().event(c.workspaceId(), ids.get(0));
        assertThat(detail.event()).isEqualTo("order.completed");
        assertThat(detail.payload().path("n").asInt()).isZero();
        assertThat(detail.deliveries()).containsExactly(new EventDetail.Delivery(c.endpointId(), "succeeded", 1));
    }

    @Test
    void retriesAnEventWithTheSameWebhookId() {
        Customer c = customer("java-retry", receiver.url());
        String id = c.ingest().events().emit(seed()).id();
        Eventually.get(Duration.ofSeconds(20), () -> deliveriesOf(receiver, id), n -> n == 1);

        assertThat(admin.deliveryLog().retry(c.workspaceId(), id, c.endpointId())).isEqualTo(1);
        Eventually.get(Duration.ofSeconds(20), () -> deliveriesOf(receiver, id), n -> n == 2);
        assertThat(admin.deliveryLog().retry(c.workspaceId(), id)).isEqualTo(1);
        Eventually.get(Duration.ofSeconds(20), () -> deliveriesOf(receiver, id), n -> n == 3);
        assertThatThrownBy(() -> admin.deliveryLog().retry(c.workspaceId(), "evt_nope"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void recoversWhatFailedDuringAnOutageOnceTheReceiverIsBack() throws Exception {
        try (TestReceiver down = new TestReceiver()) {
            Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
            down.answering(n -> TestReceiver.Reply.status(failing.isEmpty() ? 204 : 503));
            failing.add("outage");
            Customer c = customer("java-recover", down.url());
            Instant since = Instant.now().minusSeconds(60);
            String id = c.ingest().events().emit(seed()).id();
            Eventually.get(Duration.ofSeconds(30), () -> admin.deliveryLog().event(c.workspaceId(), id).deliveries(),
                    d -> !d.isEmpty() && d.get(0).status().equals("dead_lettered"));
            long failed = deliveriesOf(down, id);
            failing.clear();

            Recovery recovery = admin.deliveryLog().recover(c.workspaceId(), c.endpointId(), since, null);

            assertThat(recovery).isEqualTo(new Recovery(1, 1));
            Eventually.get(Duration.ofSeconds(20), () -> deliveriesOf(down, id), n -> n == failed + 1);
            Eventually.get(Duration.ofSeconds(20), () -> admin.deliveryLog().event(c.workspaceId(), id).deliveries().get(0).status(),
                    s -> s.equals("succeeded"));
            assertThat(admin.deliveryLog().attempts(c.workspaceId(), AttemptQuery.all().event(id).status("failed")).items().count())
                    .isEqualTo(failed);
            // The statistics count the same: every failed attempt, the dead-lettered delivery, the recovered one.
            EndpointStats stats = Eventually.get(Duration.ofSeconds(20), () -> admin.endpoints().stats(c.workspaceId(), c.endpointId()),
                    s -> s.totals().succeeded() == 1);
            assertThat(stats.totals()).isEqualTo(new EndpointStats.Totals(1, failed, 1));
        }
    }

    @Test
    void recoverFollowsResumeSinceUntilEveryFailedEventOfTheWindowIsQueuedOnce() throws Exception {
        try (LongRecoverWindow window = LongRecoverWindow.open("java-recover-long", 120)) {
            SignetClient operator = SignetClient.builder().baseUrl(window.stack().baseUrl()).apiKey(window.stack().adminKey()).build();

            Recovery recovery = window.slowly(() -> operator.deliveryLog().recover(window.workspaceId(), window.endpointId(),
                    window.since(), window.until()));

            assertThat(recovery.requests()).as("calls, following resume_since").isGreaterThan(1);
            assertThat(recovery.queued()).isEqualTo(120);
            assertThat(window.queuedPerEvent()).as("one message per failed event").hasSize(120)
                    .allSatisfy((evt, n) -> assertThat(n).isOne());
            assertThat(window.delivered()).isEmpty();
        }
    }

    @Test
    void readsAnEndpointsStatisticsHourByHour() {
        Customer c = customer("java-stats", receiver.url());
        List<String> ids = emitDelivered(c, 3);

        Instant before = Instant.now().truncatedTo(ChronoUnit.HOURS);
        EndpointStats day = Eventually.get(Duration.ofSeconds(20), () -> admin.endpoints().stats(c.workspaceId(), c.endpointId()),
                s -> s.totals().succeeded() == 3);
        Instant after = Instant.now().truncatedTo(ChronoUnit.HOURS);

        assertThat(day.period()).isEqualTo(EndpointStats.Period.LAST_24_HOURS);
        assertThat(day.bucketSeconds()).isEqualTo(3600);
        assertThat(day.totals()).isEqualTo(new EndpointStats.Totals(3, 0, 0));
        assertThat(day.buckets()).hasSize(24);
        EndpointStats.Bucket current = day.buckets().getLast();
        assertThat(current.start()).as("the current hour last").isBetween(before, after);
        for (int i = 1; i < day.buckets().size(); i++) {
            assertThat(day.buckets().get(i).start()).as("hour %d", i).isEqualTo(day.buckets().get(i - 1).start().plusSeconds(3600));
        }
        assertThat(day.buckets().stream().mapToLong(EndpointStats.Bucket::succeeded).sum()).isEqualTo(3);
        assertThat(day.buckets()).filteredOn(b -> b.succeeded() == 0).allSatisfy(b -> assertThat(b.durationMsAvg()).isNull());
        assertThat(day.buckets()).filteredOn(b -> b.succeeded() > 0).isNotEmpty()
                .allSatisfy(b -> assertThat(b.durationMsAvg()).isNotNull().isNotNegative());

        EndpointStats week = admin.endpoints().stats(c.workspaceId(), c.endpointId(), EndpointStats.Period.LAST_7_DAYS);
        assertThat(week.period()).isEqualTo(EndpointStats.Period.LAST_7_DAYS);
        assertThat(week.buckets()).hasSize(168);
        assertThat(week.buckets().getFirst().start()).isEqualTo(week.buckets().getLast().start().minus(Duration.ofHours(167)));
        assertThat(week.totals()).isEqualTo(day.totals());

        assertThatThrownBy(() -> admin.endpoints().stats(c.workspaceId(), "ep_01KNOSUCHENDPOINT0000000000"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                });
    }

    @Test
    void readsDisablesEnablesAndDeletesEndpoints() {
        Customer c = customer("java-endpoints", receiver.url());
        List<Endpoint> listed = admin.endpoints().list(c.workspaceId());
        assertThat(listed).extracting(Endpoint::id).containsExactly(c.endpointId());
        Endpoint endpoint = listed.get(0);
        assertThat(endpoint.url()).isEqualTo(receiver.url());
        assertThat(endpoint.secretHint()).startsWith("whsec_");
        assertThat(endpoint.enabled()).isTrue();

        Endpoint disabled = admin.endpoints().disable(c.workspaceId(), c.endpointId());
        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.disabledReason()).contains("operator");
        assertThat(admin.endpoints().get(c.workspaceId(), c.endpointId()).enabled()).isFalse();
        assertThat(c.ingest().events().emit(seed()).deliveries()).isZero();
        assertThat(admin.endpoints().enable(c.workspaceId(), c.endpointId()).enabled()).isTrue();

        admin.endpoints().delete(c.workspaceId(), c.endpointId());
        assertThat(admin.endpoints().list(c.workspaceId())).isEmpty();
        assertThatThrownBy(() -> admin.endpoints().get(c.workspaceId(), c.endpointId()))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.code()).isEqualTo("not_found");
                });
    }

    @Test
    void readsTheEgressAddressesWithTheAdminKeyOrASessionButNotAnIngestKey() {
        CreatedWorkspace ws = admin.workspaces().create("Riverrun", "java-egress");
        Session session = admin.workspaces().createSession("java-egress", Duration.ofMinutes(10));

        assertThat(admin.egressIps()).isEqualTo(EGRESS_IPS);
        assertThat(admin.withApiKey(session.token()).egressIps()).isEqualTo(EGRESS_IPS);
        assertThatThrownBy(() -> admin.withApiKey(ws.ingestKey()).egressIps())
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.status()).isEqualTo(403));
    }

    @Test
    void managesWorkspacesAndTheirIngestKeysWithTypedErrors() {
        Customer c = customer("java-workspace", receiver.url());
        assertThat(admin.workspaces().get(c.workspaceId()).name()).isEqualTo("Casterly");
        assertThatThrownBy(() -> admin.workspaces().create("Again", c.workspaceId()))
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.code()).isEqualTo("conflict"));
        assertThatThrownBy(() -> admin.workspaces().create("Bad", "no spaces allowed"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).contains("id");
                });
        String generated = admin.workspaces().create("Generated").workspace().id();
        assertThat(generated).startsWith("ws_");

        String rotated = admin.workspaces().rotateIngestKey(c.workspaceId());
        assertThatThrownBy(() -> c.ingest().events().emit(seed()))
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.status()).isEqualTo(401));
        SignetClient fresh = admin.withApiKey(rotated);
        assertThat(fresh.events().emit(seed()).deliveries()).isEqualTo(1);
        assertThatThrownBy(() -> fresh.events().emit(NewEvent.of("order.completed", "not an object")))
                .isInstanceOfSatisfying(SignetApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_request");
                    assertThat(e.field()).contains("payload");
                });

        // Listing: every workspace once, oldest first, page by page.
        List<String> listed = new java.util.ArrayList<>();
        admin.workspaces().all().items().forEach(w -> listed.add(w.id()));
        assertThat(listed).containsSubsequence(c.workspaceId(), generated).doesNotHaveDuplicates();
        Page<Workspace> first = admin.workspaces().list(1, null);
        assertThat(first.data()).hasSize(1);
        assertThat(first.nextCursor()).isNotNull();
        assertThat(admin.workspaces().list(1, first.nextCursor()).data().getFirst().id()).isEqualTo(listed.get(1));

        // Revoking sessions: a session minted before is refused at once, one minted after works.
        Session before = admin.workspaces().createSession(c.workspaceId(), Duration.ofHours(1));
        assertThat(signet.api().get("/v1/workspaces/" + c.workspaceId(), before.token()).status()).isEqualTo(200);
        admin.workspaces().revokeSessions(c.workspaceId());
        assertThat(signet.api().get("/v1/workspaces/" + c.workspaceId(), before.token()).status()).isEqualTo(401);
        Session after = admin.workspaces().createSession(c.workspaceId(), Duration.ofHours(1));
        assertThat(signet.api().get("/v1/workspaces/" + c.workspaceId(), after.token()).status()).isEqualTo(200);
        assertThatThrownBy(() -> admin.workspaces().revokeSessions("no-such-workspace"))
                .isInstanceOfSatisfying(SignetApiException.class, e -> assertThat(e.status()).isEqualTo(404));

        admin.workspaces().delete(c.workspaceId());
        admin.workspaces().delete(generated);
        Set<Integer> statuses = new HashSet<>();
        for (String ws : List.of(c.workspaceId(), generated)) {
            assertThatThrownBy(() -> admin.workspaces().get(ws)).isInstanceOfSatisfying(SignetApiException.class, e -> statuses.add(e.status()));
        }
        assertThat(statuses).containsExactly(404);
    }
}
