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

/** A receiver that fails twice then succeeds: three attempts logged, the event accepted once. */
class RetriesThenSucceedsTest {
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
    void failsTwiceThenSucceedsWithThreeAttemptsLoggedAndTheSameWebhookId() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(n <= 2 ? 500 : 204))) {
            Tenant tenant = Tenant.create(api, stack.adminKey(), "retry-then-ok", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(api, Tenant.SEED_EVENT).text("id");

            List<TestReceiver.Received> got = receiver.awaitRequests(3, Duration.ofSeconds(30));
            assertThat(got).extracting(r -> r.header("webhook-id")).containsOnly(eventId);
            assertThat(got).extracting(TestReceiver.Received::bodyText).containsOnly(got.getFirst().bodyText());

            DynamoEventStore events = new DynamoEventStore(stack.clients().dynamo(), stack.config().eventsTable(),
                    stack.config().retention(), Clock.systemUTC());
            List<Attempt> attempts = Eventually.get(Duration.ofSeconds(20), () -> events.attemptsOf(tenant.workspaceId(), eventId),
                    a -> a.size() >= 3);
            assertThat(attempts).extracting(Attempt::attempt).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(Attempt::status)
                    .containsExactly(Attempt.Status.FAILED, Attempt.Status.FAILED, Attempt.Status.SUCCEEDED);
            assertThat(attempts).extracting(Attempt::responseStatus).containsExactly(500, 500, 204);
            assertThat(attempts.get(0).nextAttemptAt()).isNotNull();
            assertThat(attempts.get(2).deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);

            // Nothing more arrives: the delivered message was acknowledged once.
            Eventually.get(Duration.ofSeconds(20), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl()), d -> d == 0);
            Thread.sleep(1500);
            assertThat(receiver.requests()).hasSize(3);
        }
    }
}
