package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.aws.DynamoDeliveryLog;
import dev.signet.core.event.Attempt;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.DeliveryLog;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery log (openapi.yaml; README.md, "Delivery log, retry and recover") pages through a
 * workspace's attempts newest first, every attempt exactly once, with or without filters, even while
 * new attempts are written between pages.
 */
class DeliveryLogPaginationTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");
    static final int ATTEMPTS = 250;
    static final List<String> ENDPOINTS = List.of("ep_north", "ep_south", "ep_east");
    static final Instant BASE = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    static final List<String> EVENTS = new ArrayList<>();
    static Tenant tenant;
    static List<Attempt> written;

    @BeforeAll
    static void writeTheLog() throws Exception {
        tenant = signet.tenant("paging", null);
        for (int i = 0; i < 25; i++) {
            EVENTS.add(Ids.newId("evt_", BASE.plusSeconds(i)));
        }
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            // Two attempts per millisecond: ids of the same millisecond order by their random part.
            attempts.add(attempt(tenant.workspaceId(), Ids.newId("att_", BASE.plusMillis(1000L + (i / 2) * 7L)),
                    EVENTS.get(i % EVENTS.size()), ENDPOINTS.get(i % ENDPOINTS.size()), i % 3 == 0));
        }
        write(attempts);
        written = attempts;
    }

    static Attempt attempt(String ws, String id, String eventId, String endpointId, boolean failed) {
        return new Attempt(id, ws, signet.generation(ws), eventId, endpointId, 1, failed ? Attempt.Status.FAILED : Attempt.Status.SUCCEEDED,
                failed ? 503 : 200, failed ? "busy" : "ok", failed ? "receiver answered HTTP 503" : null, 12,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), null,
                failed ? Attempt.DeliveryStatus.DEAD_LETTERED : Attempt.DeliveryStatus.SUCCEEDED);
    }

    /** Through the store the delivery function writes with, a few at a time. */
    static void write(List<Attempt> attempts) throws Exception {
        try (var pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> writes = new ArrayList<>();
            for (Attempt a : attempts) {
                writes.add(pool.submit(() -> signet.events().putAttempt(a)));
            }
            for (Future<?> w : writes) {
                w.get();
            }
        }
    }

    static List<String> expected(Predicate<Attempt> filter) {
        return written.stream().filter(filter).map(Attempt::id).sorted(Comparator.reverseOrder()).toList();
    }

    static ApiClient.Reply get(String query, String bearer) {
        return signet.api().get("/v1/workspaces/" + tenant.workspaceId() + "/attempts" + query, bearer);
    }

    /** Follows next_cursor to the end; every page but the last is full. */
    static List<String> pageThrough(String filters, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; ; pages++) {
            assertThat(pages).as("pages for " + filters).isLessThan(ATTEMPTS + 2);
            ApiClient.Reply r = get("?limit=" + limit + filters + (cursor == null ? "" : "&cursor=" + cursor), tenant.sessionToken());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode data = r.json().path("data");
            data.forEach(a -> ids.add(a.path("id").asText()));
            assertThat(new HashSet<>(ids)).as("no attempt is listed twice (" + filters + ")").hasSize(ids.size());
            JsonNode next = r.json().path("next_cursor");
            assertThat(next.isMissingNode()).as("next_cursor is always present").isFalse();
            if (next.isNull()) {
                return ids;
            }
            assertThat(data.size()).as("a page before the last is full (" + filters + ")").isEqualTo(limit);
            cursor = next.asText();
        }
    }

    @Test
    void everyAttemptExactlyOnceNewestFirstForAnyPageSize() {
        List<String> all = expected(a -> true);
        assertThat(all).hasSize(ATTEMPTS);
        for (int limit : new int[] {7, 50, 100}) {
            assertThat(pageThrough("", limit)).as("limit " + limit).containsExactlyElementsOf(all);
        }
        ApiClient.Reply firstPage = get("", signet.adminKey());
        assertThat(firstPage.status()).as(firstPage.body()).isEqualTo(200);
        assertThat(firstPage.json().path("data")).as("the default page size").hasSize(50);
        assertThat(firstPage.json().path("data").get(0).path("id").asText()).isEqualTo(all.getFirst());
    }

    @Test
    void attemptsCarryTheContractFields() {
        JsonNode a = get("?limit=1&status=failed", signet.adminKey()).json().path("data").get(0);
        Attempt w = written.stream().filter(x -> x.id().equals(a.path("id").asText())).findFirst().orElseThrow();
        assertThat(a.path("event_id").asText()).isEqualTo(w.eventId());
        assertThat(a.path("endpoint_id").asText()).isEqualTo(w.endpointId());
        assertThat(a.path("attempt").asInt()).isEqualTo(1);
        assertThat(a.path("status").asText()).isEqualTo("failed");
        assertThat(a.path("response_status").asInt()).isEqualTo(503);
        assertThat(a.path("response_body").asText()).isEqualTo("busy");
        assertThat(a.path("error").asText()).isEqualTo("receiver answered HTTP 503");
        assertThat(a.path("duration_ms").asInt()).isEqualTo(12);
        assertThat(a.path("created_at").asText()).isEqualTo(w.createdAt().toString());
        assertThat(a.has("next_attempt_at") && a.path("next_attempt_at").isNull()).isTrue();
    }

    /**
     * The log's indexes copy no response bodies (they would triple a failed attempt's write cost):
     * a page listed from either index reads them from the table, so the API still shows every body.
     */
    @Test
    void responseBodiesComeFromTheTableNotTheIndexes() {
        var dynamo = signet.stack().clients().dynamo();
        String table = signet.stack().config().eventsTable();
        for (String index : List.of("by_workspace", "by_endpoint")) {
            var items = dynamo.scanPaginator(b -> b.tableName(table).indexName(index)).items().stream().toList();
            assertThat(items).as(index).hasSizeGreaterThanOrEqualTo(ATTEMPTS);
            assertThat(items).as(index + " holds the list's attributes, not the body")
                    .allSatisfy(i -> assertThat(i).containsKeys("id", "status", "delivery_status").doesNotContainKey("response_body"));
        }
        String ep = ENDPOINTS.get(1);
        for (String filter : List.of("", "&endpoint_id=" + ep)) {
            JsonNode data = get("?limit=100" + filter, tenant.sessionToken()).json().path("data");
            assertThat(data).as(filter).hasSize(filter.isEmpty() ? 100 : expected(a -> a.endpointId().equals(ep)).size());
            data.forEach(a -> assertThat(a.path("response_body").asText()).as(filter)
                    .isEqualTo(a.path("status").asText().equals("failed") ? "busy" : "ok"));
        }
    }

    @Test
    void filtersByEndpointEventAndStatusWithTheRightCounts() {
        String ep = ENDPOINTS.get(1);
        String evt = EVENTS.get(3);
        assertThat(pageThrough("&endpoint_id=" + ep, 7)).containsExactlyElementsOf(expected(a -> a.endpointId().equals(ep))).hasSize(83);
        assertThat(pageThrough("&event_id=" + evt, 3)).containsExactlyElementsOf(expected(a -> a.eventId().equals(evt))).hasSize(10);
        assertThat(pageThrough("&status=failed", 7)).containsExactlyElementsOf(expected(a -> a.status() == Attempt.Status.FAILED)).hasSize(84);
        assertThat(pageThrough("&status=succeeded", 50)).containsExactlyElementsOf(expected(a -> a.status() == Attempt.Status.SUCCEEDED)).hasSize(166);
        assertThat(pageThrough("&endpoint_id=" + ep + "&status=failed", 7))
                .containsExactlyElementsOf(expected(a -> a.endpointId().equals(ep) && a.status() == Attempt.Status.FAILED));
        String evtOfEp = EVENTS.get(4); // event i%25==4 meets every endpoint over the run
        assertThat(pageThrough("&event_id=" + evtOfEp + "&endpoint_id=" + ep, 2))
                .containsExactlyElementsOf(expected(a -> a.eventId().equals(evtOfEp) && a.endpointId().equals(ep))).isNotEmpty();
        assertThat(pageThrough("&endpoint_id=ep_nobody", 10)).isEmpty();
    }

    @Test
    void attemptsWrittenWhilePagingNeitherShiftNorRepeatThePages() throws Exception {
        String ws = "paging-live";
        signet.tenant(ws, null);
        List<Attempt> before = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            before.add(attempt(ws, Ids.newId("att_", BASE.plusSeconds(i)), EVENTS.get(i % 5), ENDPOINTS.get(i % 3), i % 4 == 0));
        }
        write(before);
        Set<String> existing = new HashSet<>(before.stream().map(Attempt::id).toList());

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int round = 0;
        do {
            ApiClient.Reply r = signet.api().get("/v1/workspaces/" + ws + "/attempts?limit=9"
                    + (cursor == null ? "" : "&cursor=" + cursor), signet.adminKey());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().path("data").forEach(a -> seen.add(a.path("id").asText()));
            assertThat(new HashSet<>(seen)).as("no attempt is listed twice").hasSize(seen.size());
            cursor = r.json().path("next_cursor").isNull() ? null : r.json().path("next_cursor").asText();
            // Between pages: a brand-new attempt, and one written late for an earlier start (an id
            // inside the range still to be paged, like a slow delivery's attempt).
            round++;
            write(List.of(attempt(ws, Ids.newId("att_", Instant.now()), EVENTS.get(0), ENDPOINTS.get(0), false),
                    attempt(ws, Ids.newId("att_", BASE.plusSeconds(60 - 7L * round).plusMillis(500)), EVENTS.get(1), ENDPOINTS.get(1), true)));
        } while (cursor != null);

        assertThat(new HashSet<>(seen)).as("no attempt is listed twice").hasSize(seen.size());
        assertThat(seen).as("newest first across all pages").isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(seen).as("every attempt that existed when paging began").containsAll(existing);
    }

    @Test
    void aSparseFilterWithinASmallReadBudgetGivesShortPagesButStillEveryAttemptOnce() {
        // The API's store reads at most 5000 attempts per page; this one only 20.
        var log = new DynamoDeliveryLog(signet.stack().clients().dynamo(), signet.stack().config().eventsTable(), 20);
        for (String filter : List.of("status", "endpoint", "none")) {
            List<String> ids = new ArrayList<>();
            String before = null;
            int pages = 0;
            int shortPages = 0;
            do {
                var page = log.attempts(new DeliveryLog.AttemptLogQuery(tenant.workspaceId(), signet.generation(tenant.workspaceId()),
                        filter.equals("endpoint") ? ENDPOINTS.get(2) : null, null,
                        filter.equals("status") ? Attempt.Status.FAILED : null, before, 50));
                page.attempts().forEach(a -> ids.add(a.id()));
                before = page.continueBefore();
                if (before != null && page.attempts().size() < 50) {
                    shortPages++;
                }
                pages++;
            } while (before != null && pages < 500);
            Predicate<Attempt> wanted = switch (filter) {
                case "status" -> a -> a.status() == Attempt.Status.FAILED;
                case "endpoint" -> a -> a.endpointId().equals(ENDPOINTS.get(2));
                default -> a -> true;
            };
            assertThat(ids).as(filter).containsExactlyElementsOf(expected(wanted));
            if (!filter.equals("endpoint")) { // one stream reads a whole page at once; merged or filtered ones run short
                assertThat(shortPages).as(filter + ": the budget made some pages short, each with a cursor").isPositive();
            }
        }
    }

    @Test
    void badLimitStatusOrCursorIsA400NamingIt() {
        for (String limit : List.of("0", "101", "-1", "ten", "1.5", "99999999999")) {
            assertError(get("?limit=" + limit, tenant.sessionToken()), 400, "limit");
        }
        assertError(get("?status=pending", tenant.sessionToken()), 400, "status");
        assertError(get("?status=FAILED", tenant.sessionToken()), 400, "status");
        assertError(get("?cursor=not-a-cursor", tenant.sessionToken()), 400, "cursor");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"v\":1,\"before\":\"event\",\"f\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertError(get("?cursor=" + forged, tenant.sessionToken()), 400, "cursor");

        String endpointCursor = get("?limit=2&endpoint_id=" + ENDPOINTS.getFirst(), tenant.sessionToken()).json().path("next_cursor").asText();
        assertThat(get("?limit=5&endpoint_id=" + ENDPOINTS.getFirst() + "&cursor=" + endpointCursor, tenant.sessionToken()).status())
                .as("the same filters with another limit").isEqualTo(200);
        assertError(get("?cursor=" + endpointCursor, tenant.sessionToken()), 400, "cursor");
        assertError(get("?endpoint_id=" + ENDPOINTS.get(1) + "&cursor=" + endpointCursor, tenant.sessionToken()), 400, "cursor");
        assertError(get("?endpoint_id=" + ENDPOINTS.getFirst() + "&status=failed&cursor=" + endpointCursor, tenant.sessionToken()), 400, "cursor");
        Tenant other = signet.tenant("paging-other", null);
        assertError(signet.api().get("/v1/workspaces/" + other.workspaceId() + "/attempts?endpoint_id=" + ENDPOINTS.getFirst()
                + "&cursor=" + endpointCursor, other.sessionToken()), 400, "cursor");

        assertThat(get("", other.sessionToken()).status()).as("another workspace's session").isEqualTo(404);
        assertThat(get("", tenant.ingestKey()).status()).as("an ingest key").isEqualTo(403);
        assertThat(signet.api().get("/v1/workspaces/no-such-ws/attempts", signet.adminKey()).status()).isEqualTo(404);
    }

    private static void assertError(ApiClient.Reply r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(r.json().path("error").path("field").asText()).as(r.body()).isEqualTo(field);
    }
}
