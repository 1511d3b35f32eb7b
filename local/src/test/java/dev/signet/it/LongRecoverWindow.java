package dev.signet.it;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.core.ids.Ids;
import dev.signet.core.store.EventStore;
import dev.signet.local.SignetStack;
import dev.signet.testkit.ShiftedClock;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stack without pollers whose endpoint has {@code failedEvents} dead-lettered deliveries in a window
 * three hours ago, and one that succeeded, written straight to the store; and a clock that can make
 * every step of a request take 10 s. A recover of the window then reaches its 20 s budget after about
 * two chunks of 50 events and answers {@code resume_since}, so following it takes several calls. Nothing is
 * delivered (no pollers): every delivery a recover queues stays in the queue, where it can be counted.
 */
final class LongRecoverWindow implements AutoCloseable {
    private final ShiftedClock clock = new ShiftedClock();
    private final SignetStack stack = SignetStack.builder().retrySchedule("1s").pollers(0).clock(clock).start();
    private final TestReceiver receiver;
    private final Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
    private final List<String> failedEventIds = new ArrayList<>();
    private Tenant tenant;

    private LongRecoverWindow() throws Exception {
        try {
            receiver = new TestReceiver();
        } catch (Exception e) {
            stack.close();
            throw e;
        }
    }

    static LongRecoverWindow open(String workspaceId, int failedEvents) throws Exception {
        LongRecoverWindow w = new LongRecoverWindow();
        try {
            w.fill(workspaceId, failedEvents);
            return w;
        } catch (Exception | AssertionError e) {
            w.close();
            throw e;
        }
    }

    private void fill(String workspaceId, int failedEvents) throws Exception {
        tenant = Tenant.create(stack.api(), stack.adminKey(), workspaceId, Tenant.endpointFor(receiver.url()));
        String gen = Signet.generationOf(stack, workspaceId);
        String ep = tenant.endpointId();
        EventStore events = stack.stores().events();
        List<Runnable> writes = new ArrayList<>();
        for (int i = 0; i < failedEvents; i++) {
            String evt = Ids.newId("evt_", since.plusMillis(i));
            failedEventIds.add(evt);
            Instant failedAt = since.plusSeconds(60).plusMillis(7L * i);
            writes.add(() -> write(events, workspaceId, gen, evt, ep, failedAt, Attempt.DeliveryStatus.DEAD_LETTERED));
        }
        String delivered = Ids.newId("evt_", since);
        writes.add(() -> write(events, workspaceId, gen, delivered, ep, since.plusSeconds(61), Attempt.DeliveryStatus.SUCCEEDED));
        run(writes);
    }

    SignetStack stack() {
        return stack;
    }

    String workspaceId() {
        return tenant.workspaceId();
    }

    String endpointId() {
        return tenant.endpointId();
    }

    /** The window to recover: every failure lies between these. */
    Instant since() {
        return since;
    }

    Instant until() {
        return since.plusSeconds(3600);
    }

    List<String> failedEventIds() {
        return List.copyOf(failedEventIds);
    }

    /** What the endpoint's receiver got: nothing, as long as the test only recovers. */
    List<TestReceiver.Received> delivered() {
        return receiver.requests();
    }

    /** Runs {@code call} with every clock read of the stack's functions moving the clock 10 s on. */
    <T> T slowly(Supplier<T> call) {
        clock.advanceOnEachRead(Duration.ofSeconds(10));
        try {
            return call.get();
        } finally {
            clock.advanceOnEachRead(Duration.ZERO);
        }
    }

    /**
     * Receives every message in the deliveries queue (hiding it for the rest of the test) and counts
     * those naming each failed event; fails if any message names none of them.
     */
    Map<String, Integer> queuedPerEvent() {
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
            for (String evt : failedEventIds) {
                if (body.contains(evt)) {
                    counts.merge(evt, 1, Integer::sum);
                }
            }
        }
        assertThat(bodies).as("no message for anything else").hasSize(counts.values().stream().mapToInt(Integer::intValue).sum());
        return counts;
    }

    @Override
    public void close() {
        try (receiver) {
            stack.close();
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
}
