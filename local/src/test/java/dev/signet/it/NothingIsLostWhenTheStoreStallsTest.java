package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.local.ApiClient;
import dev.signet.local.Emulators;
import dev.signet.local.SignetStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DynamoDB stalling (the moto process frozen with SIGSTOP: connections accepted, nothing answered, as
 * a throttled or unreachable AWS endpoint looks) while deliveries are on their way loses nothing and
 * spends nothing: a request the receiver accepted is recorded once, as the attempt it was, when the
 * store is back; deliveries that could not read their endpoint wait, unattempted. Runs on emulators of
 * its own, so freezing them touches no other test.
 */
class NothingIsLostWhenTheStoreStallsTest {
    private Emulators emulators;
    private SignetStack stack;
    private ApiClient api;

    @BeforeEach
    void start() {
        emulators = Emulators.start();
    }

    @AfterEach
    void stop() {
        if (stack != null) {
            stack.close();
        }
        emulators.close();
    }

    private void startStack(String schedule) {
        stack = SignetStack.builder().emulators(emulators).retrySchedule(schedule).start();
        api = stack.api();
    }

    private StalledProcess moto() {
        return StalledProcess.motoOn(emulators.dynamoAndSecretsEndpoint().getPort());
    }

    @Test
    void fortySecondsOfStalledStoreWhileDeliveriesWaitOnASlowReceiver() throws Exception {
        startStack("5s,5s,5s");
        AtomicInteger inFlight = new AtomicInteger();
        try (TestReceiver receiver = new TestReceiver().answering(n -> {
            inFlight.incrementAndGet();
            sleep(Duration.ofSeconds(3));
            inFlight.decrementAndGet();
            return TestReceiver.Reply.status(200);
        })) {
            Tenant tenant = Tenant.create(api, stack.adminKey(), "stall", Tenant.endpointFor(receiver.url()));
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                events.add(tenant.emit(api, Tenant.SEED_EVENT).text("id"));
            }
            Eventually.get(Duration.ofSeconds(20), inFlight::get, n -> n >= 2);
            try (StalledProcess moto = moto().stop()) {
                Thread.sleep(Duration.ofSeconds(40)); // the outage itself, not a wait for "nothing happened"
                moto.resume();
            }

            for (String evt : events) {
                List<Attempt> attempts = Eventually.get(Duration.ofSeconds(120),
                        () -> stack.stores().events().attemptsOf("stall", Signet.generationOf(stack, "stall"), evt), a -> !a.isEmpty());
                assertThat(attempts).as("event %s", evt).singleElement().satisfies(a -> {
                    assertThat(a.attempt()).isEqualTo(1);
                    assertThat(a.deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
                });
            }
            Eventually.get(Duration.ofSeconds(60), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl()), d -> d == 0);
            Map<String, Long> received = receiver.requests().stream()
                    .collect(Collectors.groupingBy(r -> r.header("webhook-id"), Collectors.counting()));
            assertThat(received).as("each event reached the receiver once").hasSize(events.size()).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
            assertThat(Queues.depth(stack.clients().sqs(), stack.resources().deadLetterQueueUrl())).isZero();
        }
    }

    @Test
    void chaosWithAStoreStallInTheMiddleEndsEveryDeliveryDeliveredOrDeadLetteredWithEveryAttemptLogged() throws Exception {
        startStack("1s,1s,1s,1s,1s,1s,1s");
        Random chance = new Random(20261201);
        AtomicInteger requests = new AtomicInteger();
        try (TestReceiver a = new TestReceiver().answering(n -> chaos(chance, requests));
             TestReceiver b = new TestReceiver().answering(n -> chaos(chance, requests))) {
            Tenant tenant = Tenant.create(api, stack.adminKey(), "chaos", Tenant.endpointFor(a.url()));
            String second = tenant.addEndpoint(api, Tenant.endpointFor(b.url()));
            List<String> events = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                events.add(tenant.emit(api, Tenant.SEED_EVENT).text("id"));
            }
            Eventually.get(Duration.ofSeconds(30), requests::get, n -> n >= 30);
            try (StalledProcess moto = moto().stop()) {
                Thread.sleep(Duration.ofSeconds(8)); // the outage
                moto.resume();
            }
            Eventually.get(Duration.ofSeconds(180), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl()), d -> d == 0);

            List<DeliveryJob> deadLetters = Queues.peekAll(stack.clients().sqs(), stack.resources().deadLetterQueueUrl()).stream()
                    .map(DeliveryJob::fromMessageBody).toList();
            int delivered = 0;
            for (String evt : events) {
                Map<String, List<Attempt>> byEndpoint = new HashMap<>();
                for (Attempt at : stack.stores().events().attemptsOf("chaos", Signet.generationOf(stack, "chaos"), evt)) {
                    byEndpoint.computeIfAbsent(at.endpointId(), k -> new ArrayList<>()).add(at);
                }
                assertThat(byEndpoint).as("event %s reached both endpoints' logs", evt).containsOnlyKeys(tenant.endpointId(), second);
                for (var e : byEndpoint.entrySet()) {
                    List<Integer> numbers = e.getValue().stream().map(Attempt::attempt).sorted().toList();
                    assertThat(numbers).as("attempts of %s to %s run 1..n without gaps", evt, e.getKey())
                            .isEqualTo(java.util.stream.IntStream.rangeClosed(1, numbers.size()).boxed().toList());
                    Attempt last = e.getValue().stream().max(java.util.Comparator.comparingInt(Attempt::attempt)).orElseThrow();
                    if (last.deliveryStatus() == Attempt.DeliveryStatus.SUCCEEDED) {
                        delivered++;
                    } else {
                        assertThat(last.deliveryStatus()).as("%s to %s ends delivered or dead-lettered", evt, e.getKey())
                                .isEqualTo(Attempt.DeliveryStatus.DEAD_LETTERED);
                        assertThat(last.attempt()).isEqualTo(8);
                        assertThat(deadLetters).as("the dead-lettered delivery is in the DLQ")
                                .anyMatch(j -> j.eventId().equals(evt) && j.endpointId().equals(e.getKey()));
                    }
                }
            }
            assertThat(delivered + deadLetters.size()).as("every one of the 60 deliveries accounted for").isEqualTo(60);
        }
    }

    /** 30 % server errors, 10 % connections closed without an answer, the rest accepted. */
    private static TestReceiver.Reply chaos(Random chance, AtomicInteger requests) {
        requests.incrementAndGet();
        double roll;
        synchronized (chance) {
            roll = chance.nextDouble();
        }
        if (roll < 0.3) {
            return TestReceiver.Reply.status(500);
        }
        return roll < 0.4 ? TestReceiver.Reply.DROP : TestReceiver.Reply.status(200);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
