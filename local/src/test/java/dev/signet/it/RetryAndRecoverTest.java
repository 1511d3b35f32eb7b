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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry and recover (openapi.yaml; README.md, "Delivery log, retry and recover") queue deliveries again
 * through the normal pipeline: the receiver gets the same webhook-id, each new attempt is logged, and
 * only what failed is sent again.
 */
class RetryAndRecoverTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    @Test
    void retryQueuesAnEventAgainForOneEndpointOrAllItWentTo() throws Exception {
        try (TestReceiver first = new TestReceiver(); TestReceiver second = new TestReceiver()) {
            Tenant tenant = signet.tenant("retry", Tenant.endpointFor(first.url()));
            String secondId = createEndpoint(tenant, Tenant.endpointFor(second.url()));
            String eventId = tenant.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            first.awaitRequests(1, Duration.ofSeconds(20));
            second.awaitRequests(1, Duration.ofSeconds(20));
            signet.awaitAttempts(tenant.workspaceId(), eventId, 2);

            ApiClient.Reply one = retry(tenant, eventId, tenant.sessionToken(), "{\"endpoint_id\":\"" + secondId + "\"}");
            assertThat(one.status()).as(one.body()).isEqualTo(202);
            assertThat(one.json().path("queued").asInt()).isEqualTo(1);
            List<TestReceiver.Received> got = second.awaitRequests(2, Duration.ofSeconds(20));
            assertThat(got.get(1).header("webhook-id")).isEqualTo(eventId);
            assertThat(got.get(1).bodyText()).isEqualTo(got.get(0).bodyText());
            signet.awaitAttempts(tenant.workspaceId(), eventId, 3);
            assertThat(first.requests()).as("only the endpoint asked for").hasSize(1);

            ApiClient.Reply all = retry(tenant, eventId, signet.adminKey(), "");
            assertThat(all.status()).as(all.body()).isEqualTo(202);
            assertThat(all.json().path("queued").asInt()).isEqualTo(2);
            assertThat(first.awaitRequests(2, Duration.ofSeconds(20)).get(1).header("webhook-id")).isEqualTo(eventId);
            assertThat(second.awaitRequests(3, Duration.ofSeconds(20)).get(2).header("webhook-id")).isEqualTo(eventId);
            List<Attempt> attempts = signet.awaitAttempts(tenant.workspaceId(), eventId, 5);
            assertThat(attempts).extracting(Attempt::status).containsOnly(Attempt.Status.SUCCEEDED);
            assertThat(attempts.stream().filter(a -> a.endpointId().equals(secondId))).hasSize(3);

            JsonNode log = signet.api().get("/v1/workspaces/retry/attempts?event_id=" + eventId, tenant.sessionToken()).json();
            assertThat(log.path("data")).as("every retried attempt is in the delivery log").hasSize(5);

            // Errors: an endpoint the event did not go to, an unknown event, an unknown field.
            Tenant stranger = signet.tenant("retry-stranger", Tenant.endpointFor(first.url()));
            assertStatus(retry(tenant, eventId, tenant.sessionToken(), "{\"endpoint_id\":\"" + stranger.endpointId() + "\"}"), 404, null);
            assertStatus(retry(tenant, eventId, tenant.sessionToken(), "{\"endpoint_id\":\"ep_nope\"}"), 404, null);
            assertStatus(retry(tenant, Ids.newId("evt_", Instant.now()), tenant.sessionToken(), ""), 404, null);
            assertStatus(retry(stranger, eventId, stranger.sessionToken(), ""), 404, null);
            assertStatus(retry(tenant, eventId, tenant.sessionToken(), "{\"endpoint\":\"x\"}"), 400, "endpoint");
            assertStatus(retry(tenant, eventId, tenant.sessionToken(), "{\"endpoint_id\":7}"), 400, "endpoint_id");
            assertStatus(retry(tenant, eventId, tenant.ingestKey(), ""), 403, null);
            signet.awaitDeliveriesDrained();
            assertThat(first.requests()).hasSize(2);
            assertThat(second.requests()).hasSize(3);
        }
    }

    @Test
    void recoverQueuesAgainOnlyWhatFailedInTheWindow() throws Exception {
        AtomicBoolean healthy = new AtomicBoolean(false);
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(healthy.get() ? 200 : 503))) {
            Tenant tenant = signet.tenant("recover", Tenant.endpointFor(receiver.url()));
            String ws = tenant.workspaceId();
            String before = emitAndAwait(tenant, Attempt.DeliveryStatus.DEAD_LETTERED);   // fails before the window
            Instant since = Instant.now().plusMillis(5);
            Thread.sleep(10);
            String failed1 = emit(tenant);
            String failed2 = emit(tenant);
            String fixedByRetry = emit(tenant);
            for (String evt : List.of(failed1, failed2, fixedByRetry)) {
                await(tenant, evt, Attempt.DeliveryStatus.DEAD_LETTERED);
            }
            healthy.set(true);
            String delivered = emitAndAwait(tenant, Attempt.DeliveryStatus.SUCCEEDED);
            assertThat(retry(tenant, fixedByRetry, tenant.sessionToken(), "").json().path("queued").asInt()).isEqualTo(1);
            Eventually.get(Duration.ofSeconds(20), () -> signet.attempts(ws, fixedByRetry), a -> a.size() == 4);
            int requestsBefore = receiver.requests().size();

            ApiClient.Reply r = signet.api().post("/v1/workspaces/recover/endpoints/" + tenant.endpointId() + "/recover",
                    tenant.sessionToken(), "{\"since\":\"" + since + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().path("queued").asInt()).isEqualTo(2);

            List<TestReceiver.Received> got = receiver.awaitRequests(requestsBefore + 2, Duration.ofSeconds(20));
            assertThat(got.subList(requestsBefore, got.size())).extracting(x -> x.header("webhook-id"))
                    .containsExactlyInAnyOrder(failed1, failed2);
            for (String evt : List.of(failed1, failed2)) {
                List<Attempt> attempts = signet.awaitAttempts(ws, evt, 4);
                assertThat(attempts.getLast().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
            }
            signet.awaitDeliveriesDrained();
            assertThat(receiver.requests()).as("nothing else was queued").hasSize(requestsBefore + 2);
            assertThat(signet.attempts(ws, before)).hasSize(3);
            assertThat(signet.attempts(ws, delivered)).hasSize(1);

            // Recovered deliveries succeeded: recovering the same window again queues nothing.
            ApiClient.Reply again = signet.api().post("/v1/workspaces/recover/endpoints/" + tenant.endpointId() + "/recover",
                    signet.adminKey(), "{\"since\":\"" + since + "\",\"until\":\"" + Instant.now() + "\"}");
            assertThat(again.status()).as(again.body()).isEqualTo(202);
            assertThat(again.json().path("queued").asInt()).isZero();
        }
    }

    /**
     * Attempts written directly at chosen times (as the delivery function writes them): the window is
     * read on attempt time, and an event counts by its latest attempt, in the window and after it.
     */
    @Test
    void recoverJudgesEachEventByItsLatestAttempts() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant tenant = signet.tenant("recover-window", Tenant.endpointFor(receiver.url()));
            String ws = tenant.workspaceId();
            String ep = tenant.endpointId();
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
            String outside = event(ws, ep, t.minusSeconds(3600));
            fail(ws, outside, ep, t.minusSeconds(60), Attempt.DeliveryStatus.DEAD_LETTERED);        // before since
            String inside = event(ws, ep, t);
            fail(ws, inside, ep, t.plusSeconds(600), Attempt.DeliveryStatus.PENDING);
            fail(ws, inside, ep, t.plusSeconds(610), Attempt.DeliveryStatus.DEAD_LETTERED);
            String abandoned = event(ws, ep, t.plusSeconds(1));
            fail(ws, abandoned, ep, t.plusSeconds(700), Attempt.DeliveryStatus.FAILED);               // e.g. endpoint was disabled
            String laterSucceeded = event(ws, ep, t.plusSeconds(2));
            fail(ws, laterSucceeded, ep, t.plusSeconds(800), Attempt.DeliveryStatus.DEAD_LETTERED);
            succeed(ws, laterSucceeded, ep, t.plusSeconds(5000));                                       // after until
            String stillRetrying = event(ws, ep, t.plusSeconds(3));
            fail(ws, stillRetrying, ep, t.plusSeconds(900), Attempt.DeliveryStatus.PENDING);
            String otherEndpointFailed = event(ws, ep, t.plusSeconds(4));
            fail(ws, otherEndpointFailed, "ep_other", t.plusSeconds(1000), Attempt.DeliveryStatus.DEAD_LETTERED);
            succeed(ws, otherEndpointFailed, ep, t.plusSeconds(1001));
            String lastSecond = event(ws, ep, t.plusSeconds(5));
            fail(ws, lastSecond, ep, t.plusSeconds(3600).plusMillis(999), Attempt.DeliveryStatus.DEAD_LETTERED); // until is inclusive, to the ms
            String afterUntil = event(ws, ep, t.plusSeconds(6));
            fail(ws, afterUntil, ep, t.plusSeconds(3601), Attempt.DeliveryStatus.DEAD_LETTERED);

            String path = "/v1/workspaces/recover-window/endpoints/" + ep + "/recover";
            ApiClient.Reply r = signet.api().post(path, tenant.sessionToken(),
                    "{\"since\":\"" + t + "\",\"until\":\"" + t.plusSeconds(3600).plusMillis(999) + "\"}");
            assertThat(r.status()).as(r.body()).isEqualTo(202);
            assertThat(r.json().path("queued").asInt()).isEqualTo(3);
            List<TestReceiver.Received> got = receiver.awaitRequests(3, Duration.ofSeconds(20));
            assertThat(got).extracting(x -> x.header("webhook-id")).containsExactlyInAnyOrder(inside, abandoned, lastSecond);
            signet.awaitDeliveriesDrained();
            assertThat(receiver.requests()).hasSize(3);

            // Bad windows name the field; an unknown endpoint is 404.
            assertStatus(signet.api().post(path, tenant.sessionToken(), "{}"), 400, "since");
            assertStatus(signet.api().post(path, tenant.sessionToken(), "{\"since\":\"yesterday\"}"), 400, "since");
            assertStatus(signet.api().post(path, tenant.sessionToken(), "{\"since\":\"" + t + "\",\"until\":\"soon\"}"), 400, "until");
            assertStatus(signet.api().post(path, tenant.sessionToken(),
                    "{\"since\":\"" + t + "\",\"until\":\"" + t.minusSeconds(1) + "\"}"), 400, "until");
            assertStatus(signet.api().post(path, tenant.sessionToken(),
                    "{\"since\":\"" + t.minus(Duration.ofDays(31)) + "\",\"until\":\"" + t + "\"}"), 400, "since");
            assertStatus(signet.api().post(path, tenant.sessionToken(), "{\"since\":\"" + t + "\",\"from\":1}"), 400, "from");
            assertStatus(signet.api().post("/v1/workspaces/recover-window/endpoints/ep_nope/recover", tenant.sessionToken(),
                    "{\"since\":\"" + t + "\"}"), 404, null);
            assertStatus(signet.api().post(path, tenant.ingestKey(), "{\"since\":\"" + t + "\"}"), 403, null);
            assertThat(receiver.requests()).hasSize(3);
        }
    }

    private static String emitAndAwait(Tenant tenant, Attempt.DeliveryStatus status) {
        String eventId = emit(tenant);
        await(tenant, eventId, status);
        return eventId;
    }

    private static String emit(Tenant tenant) {
        ApiClient.Reply r = tenant.emit(signet.api(), Tenant.SEED_EVENT);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.text("id");
    }

    private static void await(Tenant tenant, String eventId, Attempt.DeliveryStatus status) {
        Eventually.get(Duration.ofSeconds(30), () -> signet.attempts(tenant.workspaceId(), eventId),
                a -> !a.isEmpty() && a.getLast().deliveryStatus() == status);
    }

    private static String event(String ws, String ep, Instant at) {
        String id = Ids.newId("evt_", at);
        signet.events().putEvent(new Event(id, ws, signet.generation(ws), "order.completed", at, "order", "ord_" + at.getEpochSecond(),
                "{\"at\":\"" + at + "\"}", List.of(ep)));
        return id;
    }

    private static void fail(String ws, String evt, String ep, Instant at, Attempt.DeliveryStatus status) {
        signet.events().putAttempt(new Attempt(Ids.newId("att_", at), ws, signet.generation(ws), evt, ep, 1, Attempt.Status.FAILED, 503, null,
                "receiver answered HTTP 503", 3, at.truncatedTo(ChronoUnit.SECONDS), null, status));
    }

    private static void succeed(String ws, String evt, String ep, Instant at) {
        signet.events().putAttempt(new Attempt(Ids.newId("att_", at), ws, signet.generation(ws), evt, ep, 1, Attempt.Status.SUCCEEDED, 200, null,
                null, 3, at.truncatedTo(ChronoUnit.SECONDS), null, Attempt.DeliveryStatus.SUCCEEDED));
    }

    private static ApiClient.Reply retry(Tenant tenant, String eventId, String bearer, String body) {
        return signet.api().post("/v1/workspaces/" + tenant.workspaceId() + "/events/" + eventId + "/retry", bearer, body);
    }

    private static String createEndpoint(Tenant tenant, String json) {
        ApiClient.Reply r = signet.api().post("/v1/workspaces/" + tenant.workspaceId() + "/endpoints", tenant.sessionToken(), json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.text("id");
    }

    private static void assertStatus(ApiClient.Reply r, int status, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        if (field != null) {
            assertThat(r.json().path("error").path("field").asText()).as(r.body()).isEqualTo(field);
        }
    }
}
