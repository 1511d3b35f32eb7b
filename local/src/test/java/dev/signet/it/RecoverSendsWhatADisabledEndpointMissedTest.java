package dev.signet.it;

import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: "enable it again and recover what it missed". Events emitted while an endpoint is disabled
 * are not sent to it ({@code "deliveries": 0}); once it is enabled, recover over that window queues
 * each of those that matched its event_types, once, and nothing it would not have taken. A second
 * recover after they were delivered queues nothing.
 */
class RecoverSendsWhatADisabledEndpointMissedTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    @Test
    void eventsEmittedWhileDisabledAreRecoveredOnceEnabledAgain() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            ApiClient api = signet.api();
            Tenant t = signet.tenant("missed", "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"order.completed\"]}");
            String path = "/v1/workspaces/missed/endpoints/" + t.endpointId();
            Instant since = Instant.now().minusSeconds(1);
            assertThat(api.patch(path, t.sessionToken(), "{\"enabled\":false}").status()).isEqualTo(200);

            List<String> missed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ApiClient.Reply r = t.emit(api, Tenant.SEED_EVENT);
                assertThat(r.json().path("deliveries").asInt()).as("not sent while disabled").isZero();
                missed.add(r.text("id"));
            }
            ApiClient.Reply otherType = t.emit(api, "{\"event\":\"order.refunded\",\"payload\":{\"n\":1}}");
            assertThat(otherType.json().path("deliveries").asInt()).isZero();

            assertThat(api.patch(path, t.sessionToken(), "{\"enabled\":true}").status()).isEqualTo(200);
            ApiClient.Reply recovered = api.post(path + "/recover", t.sessionToken(), "{\"since\":\"" + since + "\"}");
            assertThat(recovered.status()).as(recovered.body()).isEqualTo(202);
            assertThat(recovered.json().path("queued").asInt()).isEqualTo(3);

            receiver.awaitRequests(3, Duration.ofSeconds(20));
            signet.awaitDeliveriesDrained();
            assertThat(receiver.requests()).extracting(r -> r.header("webhook-id")).containsExactlyInAnyOrderElementsOf(missed);
            for (TestReceiver.Received r : receiver.requests()) {
                r.verify(t.secret());
            }
            for (String evt : missed) {
                assertThat(signet.awaitAttempts("missed", evt, 1)).singleElement()
                        .satisfies(a -> assertThat(a.endpointId()).isEqualTo(t.endpointId()));
            }

            ApiClient.Reply again = api.post(path + "/recover", signet.adminKey(), "{\"since\":\"" + since + "\"}");
            assertThat(again.json().path("queued").asInt()).as("delivered now: nothing is queued twice").isZero();
        }
    }
}
