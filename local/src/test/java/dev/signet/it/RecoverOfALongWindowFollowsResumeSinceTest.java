package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.EventStore;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;
import dev.signet.testkit.ShiftedClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the HTTP API: a recover whose window holds more than one request may queue in its time
 * answers with {@code resume_since}; calling again from there until it is absent queues every failed
 * event of the window exactly once. The deliveries are not attempted in between (no pollers), which is
 * when a naive "call again" would queue them twice. The functions' clock moves 10 s at each read while
 * a recover runs, so a request reaches its 20 s budget after two chunks of 50 events.
 */
class RecoverOfALongWindowFollowsResumeSinceTest {
    static final int FAILED_EVENTS = 230;

    @Test
    void everyFailedEventIsQueuedOnceAcrossTheCalls() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        try (SignetStack stack = SignetStack.builder().retrySchedule("1s").pollers(0).clock(clock).start();
             TestReceiver receiver = new TestReceiver()) {
            ApiClient api = stack.api();
            Tenant tenant = Tenant.create(api, stack.adminKey(), "recover-long", Tenant.endpointFor(receiver.url()));
            String ws = tenant.workspaceId();
            String gen = Signet.generationOf(stack, ws);
            String ep = tenant.endpointId();
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
            List<String> failed = new ArrayList<>();
            List<Runnable> writes = new ArrayList<>();
            for (int i = 0; i < FAILED_EVENTS; i++) {
                String evt = Ids.newId("evt_", t.plusMillis(i));
                failed.add(evt);
                Instant failedAt = t.plusSeconds(60).plusMillis(7L * i);
                writes.add(() -> write(stack.stores().events(), ws, gen, evt, ep, failedAt, Attempt.DeliveryStatus.DEAD_LETTERED));
            }
            String delivered = Ids.newId("evt_", t);
            writes.add(() -> write(stack.stores().events(), ws, gen, delivered, ep, t.plusSeconds(61), Attempt.DeliveryStatus.SUCCEEDED));
            run(writes);

            String path = "/v1/workspaces/" + ws + "/endpoints/" + ep + "/recover";
            String until = t.plusSeconds(3600).toString();
            List<Integer> queued = new ArrayList<>();
            List<Instant> resumes = new ArrayList<>();
            Instant since = t;
            while (since != null) {
                assertThat(queued).as("calls").hasSizeLessThan(20);
                clock.advanceOnEachRead(Duration.ofSeconds(10));
                ApiClient.Reply r;
                try {
                    r = api.post(path, stack.adminKey(), "{\"since\":\"" + since + "\",\"until\":\"" + until + "\"}");
                } finally {
                    clock.advanceOnEachRead(Duration.ZERO);
                }
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                queued.add(r.json().path("queued").asInt());
                since = r.json().has("resume_since") ? Instant.parse(r.json().path("resume_since").asText()) : null;
                if (since != null) {
                    assertThat(since).as("resume_since inside the window, moving forward")
                            .isAfter(resumes.isEmpty() ? t : resumes.getLast()).isBefore(t.plusSeconds(3600));
                    resumes.add(since);
                }
            }

            // About two chunks of 50 per call (how many depends on how often a request reads the clock).
            assertThat(queued).as("queued per call").hasSizeGreaterThan(1);
            assertThat(queued.subList(0, queued.size() - 1)).as("each call before the last queues at least a chunk")
                    .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(50));
            assertThat(queued.stream().mapToInt(Integer::intValue).sum()).isEqualTo(FAILED_EVENTS);
            Map<String, Integer> messages = queuedPerEvent(stack, failed);
            assertThat(messages).as("one message per failed event").hasSize(FAILED_EVENTS).allSatisfy((evt, n) -> assertThat(n).isOne());
            assertThat(receiver.requests()).as("nothing was delivered: no pollers").isEmpty();

        }
    }

    private static void write(EventStore events, String ws, String gen, String evt, String ep, Instant at, Attempt.DeliveryStatus status) {
        boolean ok = status == Attempt.DeliveryStatus.SUCCEEDED;
        events.putEvent(new Event(evt, ws, gen, "order.completed", at.minusSeconds(30), "order", "ord_" + evt, "{\"n\":1}", List.of(ep)));
        events.putAttempt(new Attempt(Ids.newId("att_", at), ws, gen, evt, ep, 1, ok ? Attempt.Status.SUCCEEDED : Attempt.Status.FAILED,
                ok ? 200 : 503, null, ok ? null : "receiver answered HTTP 503", 3, at.truncatedTo(ChronoUnit.SECONDS), null, status));
    }

    private static void run(List<Runnable> writes) throws Exception {
        try (var pool = Executors.newFixedThreadPool(6)) {
            List<Future<?>> done = new ArrayList<>();
            writes.forEach(w -> done.add(pool.submit(w)));
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    /** Receives every message in the deliveries queue (hiding it for the rest of the test) and counts those naming each event. */
    private static Map<String, Integer> queuedPerEvent(SignetStack stack, List<String> eventIds) {
        var sqs = stack.clients().sqs();
        String url = stack.resources().deliveryQueueUrl();
        List<String> bodies = new ArrayList<>();
        while (true) {
            var got = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).visibilityTimeout(600).waitTimeSeconds(1)).messages();
            if (got.isEmpty()) {
                break;
            }
            got.forEach(m -> bodies.add(m.body()));
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String body : bodies) {
            for (String evt : eventIds) {
                if (body.contains(evt)) {
                    counts.merge(evt, 1, Integer::sum);
                }
            }
        }
        assertThat(bodies).as("no message for anything else").hasSize(counts.values().stream().mapToInt(Integer::intValue).sum());
        return counts;
    }
}
