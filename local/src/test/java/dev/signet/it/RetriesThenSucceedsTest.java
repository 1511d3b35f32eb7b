package dev.signet.it;

import dev.signet.local.ApiClient;

import dev.signet.core.event.Attempt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A receiver that fails twice then succeeds: three attempts logged, the event accepted once. */
class RetriesThenSucceedsTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s,1s");

    @Test
    void failsTwiceThenSucceedsWithThreeAttemptsLoggedAndTheSameWebhookId() throws Exception {
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(n <= 2 ? 500 : 204))) {
            Tenant tenant = signet.tenant("retry-then-ok", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(signet.api(), Tenant.SEED_EVENT).text("id");

            List<TestReceiver.Received> got = receiver.awaitRequests(3, Duration.ofSeconds(30));
            assertThat(got).extracting(r -> r.header("webhook-id")).containsOnly(eventId);
            assertThat(got).extracting(TestReceiver.Received::bodyText).containsOnly(got.getFirst().bodyText());

            var events = signet.events();
            List<Attempt> attempts = Eventually.get(Duration.ofSeconds(20), () -> events.attemptsOf(tenant.workspaceId(), signet.generation(tenant.workspaceId()), eventId),
                    a -> a.size() >= 3);
            assertThat(attempts).extracting(Attempt::attempt).containsExactly(1, 2, 3);
            assertThat(attempts).extracting(Attempt::status)
                    .containsExactly(Attempt.Status.FAILED, Attempt.Status.FAILED, Attempt.Status.SUCCEEDED);
            assertThat(attempts).extracting(Attempt::responseStatus).containsExactly(500, 500, 204);
            assertThat(attempts.get(0).nextAttemptAt()).isNotNull();
            assertThat(attempts.get(2).deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);

            // Nothing more arrives: the delivered message was acknowledged once.
            signet.awaitDeliveriesDrained();
            assertThat(receiver.requests()).hasSize(3);
        }
    }
}
