package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;
import dev.signet.testkit.ShiftedClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint whose every attempt fails for SIGNET_AUTO_DISABLE_AFTER (the default 5 days, on an
 * injected clock) is disabled with a reason the API shows; its queued delivery then ends without being
 * sent; enabling it again and recovering brings back what it missed, and a success ends the streak.
 */
class AutoDisablesAFailingEndpointTest {
    static final ShiftedClock clock = new ShiftedClock();
    static SignetStack stack;

    @BeforeAll
    static void start() {
        stack = SignetStack.builder().retrySchedule("1s,2s,2s").clock(clock).start();
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void anEndpointFailingForFiveDaysIsDisabledAndResumesWhenEnabled() throws Exception {
        ApiClient api = stack.api();
        AtomicBoolean healthy = new AtomicBoolean(false);
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(healthy.get() ? 200 : 500))) {
            Tenant tenant = Tenant.create(api, stack.adminKey(), "auto-disable", Tenant.endpointFor(receiver.url()));
            String path = "/v1/workspaces/auto-disable/endpoints/" + tenant.endpointId();
            Instant start = clock.instant();
            String eventId = tenant.emit(api, Tenant.SEED_EVENT).text("id");
            receiver.awaitRequests(1, Duration.ofSeconds(20));
            Eventually.get(Duration.ofSeconds(10), () -> failingSince(tenant), v -> v != null);
            assertThat(api.get(path, stack.adminKey()).json().path("enabled").asBoolean()).isTrue();

            clock.shift(Duration.ofDays(5).plusMinutes(1)); // five days of nothing but failures
            receiver.awaitRequests(2, Duration.ofSeconds(20));
            var endpoint = Eventually.get(Duration.ofSeconds(10), () -> api.get(path, stack.adminKey()).json(),
                    e -> !e.path("enabled").asBoolean());
            assertThat(endpoint.path("disabled_reason").asText()).startsWith("every attempt failed for 5 days");
            assertThat(endpoint.path("disabled_by").asText()).isEqualTo("signet");

            // The delivery still queued ends cleanly on its next receive: logged, not sent, not dead-lettered.
            var events = stack.stores().events();
            List<Attempt> attempts = Eventually.get(Duration.ofSeconds(20), () -> events.attemptsOf("auto-disable", Signet.generationOf(stack, "auto-disable"), eventId),
                    a -> a.size() >= 3);
            assertThat(attempts.getLast().error()).startsWith("endpoint is disabled: every attempt failed");
            assertThat(receiver.requests()).hasSize(2);
            Eventually.get(Duration.ofSeconds(10), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl())
                    + Queues.depth(stack.clients().sqs(), stack.resources().deadLetterQueueUrl()), d -> d == 0);

            // The customer fixes the receiver; the operator enables the endpoint and recovers what it missed.
            healthy.set(true);
            assertThat(api.patch(path, stack.adminKey(), "{\"enabled\":true}").status()).isEqualTo(200);
            assertThat(failingSince(tenant)).as("enabling starts a new streak").isNull();
            // The delivery function's endpoint cache (SIGNET_CACHE_TTL_SECONDS) sees the change once it expires.
            clock.shift(stack.config().cacheTtl().plusSeconds(1));
            var recovered = api.post(path + "/recover", stack.adminKey(), "{\"since\":\"" + start.minusSeconds(60) + "\"}");
            assertThat(recovered.status()).as(recovered.body()).isEqualTo(202);
            assertThat(recovered.json().path("queued").asInt()).isEqualTo(1);
            var got = receiver.awaitRequests(3, Duration.ofSeconds(20));
            assertThat(got.getLast().header("webhook-id")).isEqualTo(eventId);
            Eventually.get(Duration.ofSeconds(10), () -> events.attemptsOf("auto-disable", Signet.generationOf(stack, "auto-disable"), eventId).getLast().status(),
                    s -> s == Attempt.Status.SUCCEEDED);
            assertThat(failingSince(tenant)).isNull();
        }
    }

    private static String failingSince(Tenant tenant) {
        Map<String, AttributeValue> item = stack.clients().dynamo().getItem(r -> r.tableName(stack.config().configTable())
                .key(Map.of("pk", AttributeValue.fromS("ws#" + tenant.workspaceId()), "sk", AttributeValue.fromS("ep#" + tenant.endpointId()))))
                .item();
        AttributeValue v = item.get("failing_since");
        return v == null ? null : v.s();
    }
}
