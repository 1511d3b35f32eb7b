package dev.signet.it;

import dev.signet.local.ApiClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets the contract's 4xx error naming what to fix, and queues nothing (openapi.yaml, POST /v1/events; openapi.yaml, Error). */
class RejectsBadInputTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");
    static Tenant tenant;
    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        tenant = signet.tenant("bad-input", Tenant.endpointFor(receiver.url()));
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static void assertError(ApiClient.Reply r, int status, String code, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error").path("code").asText()).isEqualTo(code);
        assertThat(r.json().path("error").path("message").asText()).isNotBlank();
        if (field != null) {
            assertThat(r.json().path("error").path("field").asText()).isEqualTo(field);
        }
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.signet");
    }

    @Test
    void malformedMissingOversizeAndUnauthenticatedRequestsAreRejectedAndNothingIsQueued() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant tenant = signet.tenant("bad-input-single", Tenant.endpointFor(receiver.url()));
            rejectsAll(tenant);
            // Ingest queues synchronously: a request answered 4xx queued nothing, so nothing can arrive.
            assertThat(Queues.depth(signet.stack().clients().sqs(), signet.stack().resources().deliveryQueueUrl())).isZero();
            assertThat(receiver.requests()).isEmpty();
        }
    }

    private static void rejectsAll(Tenant tenant) {
        assertError(tenant.emit(signet.api(), "{\"event\":\"order.completed\",\"payload\":{"), 400, "invalid_request", null);
        assertError(tenant.emit(signet.api(), "{\"payload\":{}}"), 400, "invalid_request", "event");
        assertError(tenant.emit(signet.api(), "{\"event\":\"order.completed\"}"), 400, "invalid_request", "payload");
        assertError(tenant.emit(signet.api(), "{\"event\":\"order completed!\",\"payload\":{}}"), 400, "invalid_request", "event");
        assertError(tenant.emit(signet.api(), "{\"event\":\"a\",\"payload\":[1]}"), 400, "invalid_request", "payload");
        assertError(tenant.emit(signet.api(), "{\"event\":\"a\",\"payload\":{},\"resource\":\"" + "r".repeat(257) + "\"}"), 400, "invalid_request", "resource");
        assertError(tenant.emit(signet.api(), "{\"event\":\"a\",\"payload\":{},\"extra\":1}"), 400, "invalid_request", "extra");
        assertError(tenant.emit(signet.api(), "{\"event\":\"a\",\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}"), 400, "invalid_request", null);
        String huge = "{\"event\":\"a\",\"payload\":{\"x\":\"" + "y".repeat(256 * 1024) + "\"}}";
        assertError(tenant.emit(signet.api(), huge), 413, "payload_too_large", null);

        assertError(signet.api().post("/v1/events", null, Tenant.SEED_EVENT), 401, "unauthorized", null);
        assertError(signet.api().post("/v1/events", "sgn_ik_not-a-real-key", Tenant.SEED_EVENT), 401, "unauthorized", null);
        // The ingest function never reads the admin key: there it is a credential it does not know.
        assertError(signet.api().post("/v1/events", signet.adminKey(), Tenant.SEED_EVENT), 401, "unauthorized", null);
        assertError(signet.api().post("/v1/events", tenant.sessionToken(), Tenant.SEED_EVENT), 403, "forbidden", null);
        assertError(tenant.emit(signet.api(), Tenant.SEED_EVENT, Map.of("Idempotency-Key", "k".repeat(256))),
                400, "invalid_request", "Idempotency-Key");
    }

    @Test
    void aBatchWithOneBadItemQueuesTheOthersAndReportsEachInOrder() throws Exception {
        String batch = "{\"events\":[" + Tenant.SEED_EVENT + ",{\"payload\":{}}," + Tenant.SEED_EVENT.replace("order.completed", "order.refunded") + "]}";
        int before = receiver.requests().size();
        ApiClient.Reply r = signet.api().post("/v1/events/batch", tenant.ingestKey(), batch);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        var results = r.json().path("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).path("id").asText()).startsWith("evt_");
        assertThat(results.get(0).path("deliveries").asInt()).isEqualTo(1);
        assertThat(results.get(1).path("error").path("code").asText()).isEqualTo("invalid_request");
        assertThat(results.get(1).path("error").path("field").asText()).isEqualTo("events[1].event");
        assertThat(results.get(2).path("id").asText()).startsWith("evt_");
        var got = receiver.awaitRequests(before + 2, java.time.Duration.ofSeconds(20));
        assertThat(got.subList(before, got.size())).extracting(x -> x.header("webhook-id"))
                .containsExactlyInAnyOrder(results.get(0).path("id").asText(), results.get(2).path("id").asText());

        ApiClient.Reply tooMany = signet.api().post("/v1/events/batch", tenant.ingestKey(),
                "{\"events\":[" + String.join(",", java.util.Collections.nCopies(101, Tenant.SEED_EVENT)) + "]}");
        assertError(tooMany, 400, "invalid_request", "events");
    }
}
