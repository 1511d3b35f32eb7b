package dev.signet.it;

import dev.signet.core.aws.DynamoEventStore;
import dev.signet.core.event.Attempt;
import dev.signet.local.SignetStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** 410 Gone disables the endpoint and stops its retries (CONTRACT §3). */
class GoneDisablesEndpointTest {
    static SignetStack stack;
    static Api api;

    @BeforeAll
    static void start() {
        stack = SignetStack.builder().retrySchedule("1s,1s,1s").start();
        api = new Api(stack.baseUrl().toString());
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void a410StopsRetriesAndDisablesTheEndpointWithAReason() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(410))) {
            Tenant tenant = Tenant.create(api, stack.adminKey(), "gone", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(api, Tenant.SEED_EVENT).text("id");
            receiver.awaitRequests(1, Duration.ofSeconds(20));

            Api.Response ep = Eventually.get(Duration.ofSeconds(10),
                    () -> api.get("/v1/workspaces/gone/endpoints/" + tenant.endpointId(), stack.adminKey()),
                    r -> !r.json().path("enabled").asBoolean());
            assertThat(ep.text("disabled_reason")).contains("410");

            DynamoEventStore events = new DynamoEventStore(stack.clients().dynamo(), stack.config().eventsTable(),
                    stack.config().retention(), Clock.systemUTC());
            List<Attempt> attempts = events.attemptsOf("gone", eventId);
            assertThat(attempts).hasSize(1);
            assertThat(attempts.getFirst().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.FAILED);
            assertThat(attempts.getFirst().responseStatus()).isEqualTo(410);
            Eventually.get(Duration.ofSeconds(10), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl()), d -> d == 0);
            Thread.sleep(2500);
            assertThat(receiver.requests()).as("no retries after 410").hasSize(1);

            // New events no longer go to a disabled endpoint.
            assertThat(tenant.emit(api, Tenant.SEED_EVENT).json().path("deliveries").asInt()).isZero();
        }
    }
}
