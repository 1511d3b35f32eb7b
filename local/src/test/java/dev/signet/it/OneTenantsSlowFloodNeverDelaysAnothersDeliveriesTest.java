package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.local.SignetStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Workspace A floods one endpoint that answers after 8 s (timeout 10 s) with a batch of 100 events; 2 s
 * later workspace B emits 10 events, one at a time, to a healthy endpoint. B's events arrive as if A
 * were quiet (each under 2 s from emit to receipt) while A's flood drains, and every one of A's
 * deliveries still arrives, none dead-lettered, each logged once per request actually sent. Local mode
 * runs the delivery function as 10 instances fed by 2 pollers, like a small Lambda event source.
 */
class OneTenantsSlowFloodNeverDelaysAnothersDeliveriesTest {
    static final Duration B_WORST = Duration.ofSeconds(2);

    private SignetStack stack;
    private TestReceiver slow;
    private TestReceiver healthy;

    @BeforeEach
    void start() throws Exception {
        stack = SignetStack.builder().retrySchedule("5s,5s,5s").pollers(2).start();
        slow = new TestReceiver().answering(n -> {
            sleep(Duration.ofSeconds(8));
            return TestReceiver.Reply.status(200);
        });
        healthy = new TestReceiver().answering(n -> TestReceiver.Reply.status(204));
    }

    @AfterEach
    void stop() {
        slow.close();
        healthy.close();
        stack.close();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // A's flood takes 100 × 8 s over 10 slots to drain
    void bStaysFastWhileAsSlowFloodDrains() throws Exception {
        Tenant a = Tenant.create(stack.api(), stack.adminKey(), "flooding", "{\"url\":\"" + slow.url() + "\",\"timeout_seconds\":10}");
        Tenant b = Tenant.create(stack.api(), stack.adminKey(), "quiet", Tenant.endpointFor(healthy.url()));
        StringJoiner batch = new StringJoiner(",", "{\"events\":[", "]}");
        for (int i = 0; i < 100; i++) {
            batch.add(Tenant.SEED_EVENT);
        }
        var flood = stack.api().post("/v1/events/batch", a.ingestKey(), batch.toString());
        assertThat(flood.status()).as(flood.body()).isEqualTo(202);
        List<String> aEvents = new ArrayList<>();
        flood.json().path("results").forEach(r -> aEvents.add(r.path("id").asText()));

        Thread.sleep(Duration.ofSeconds(2)); // the scenario: B starts two seconds into A's flood
        List<Duration> bLatencies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long emitted = System.nanoTime();
            String id = b.emit(stack.api(), Tenant.SEED_EVENT).text("id");
            TestReceiver.Received got = Eventually.get(Duration.ofSeconds(30),
                    () -> healthy.requests().stream().filter(r -> id.equals(r.header("webhook-id"))).findFirst().orElse(null),
                    r -> r != null);
            bLatencies.add(Duration.ofNanos(got.receivedAtNanos() - emitted));
        }
        System.out.println("B emit-to-receipt during A's flood: " + bLatencies.stream().map(Duration::toMillis).toList() + " ms");
        assertThat(bLatencies).as("B's emit-to-receipt while A floods").allSatisfy(d -> assertThat(d).isLessThan(B_WORST));

        long drainStart = System.nanoTime();
        Eventually.get(Duration.ofSeconds(240), () -> slow.requests().stream().map(r -> r.header("webhook-id")).distinct().count(),
                n -> n == 100);
        Eventually.get(Duration.ofSeconds(60), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl()), d -> d == 0);
        System.out.println("A's flood drained " + Duration.ofNanos(System.nanoTime() - drainStart).toSeconds() + " s after B's last event");

        Map<String, Long> requestsPerEvent = slow.requests().stream()
                .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
        String generation = Signet.generationOf(stack, "flooding");
        for (String evt : aEvents) {
            List<Attempt> attempts = stack.stores().events().attemptsOf("flooding", generation, evt);
            assertThat(attempts).as("event %s: one attempt per request sent", evt).hasSize(requestsPerEvent.get(evt).intValue());
            assertThat(attempts.getLast().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
        }
        assertThat(Queues.depth(stack.clients().sqs(), stack.resources().deadLetterQueueUrl())).isZero();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
