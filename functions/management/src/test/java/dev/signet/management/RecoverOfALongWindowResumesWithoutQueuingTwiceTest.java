package dev.signet.management;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.Attempt.DeliveryStatus;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Event;
import dev.signet.core.ids.Ids;
import dev.signet.testkit.InMemoryStores;
import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recover request must answer within API Gateway's 30 s however long the outage was: it stops after
 * its time or read budget and answers with {@code resume_since}; following it until it is absent queues
 * every failed event of the window exactly once, even when none of the queued deliveries has been
 * attempted between the calls. Time here is a {@link MutableClock} that each history read moves.
 */
class RecoverOfALongWindowResumesWithoutQueuingTwiceTest {
    static final String WS = "ws";
    static final String GEN = "01KQ8ZJ2V7G4M6XTB3C5N9PD0R";
    static final String EP = "ep_1";
    static final Instant T0 = Instant.parse("2026-04-17T08:00:00Z");

    final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
    final InMemoryStores stores = InMemoryStores.create();

    Recovery recovery(Recovery.Limits limits) {
        return new Recovery(stores.events(), stores.deliveryLog(), stores.queue(), clock, limits);
    }

    @Test
    void aWindowTooLongForTheTimeBudgetIsRecoveredInSeveralCallsEachEventOnce() {
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            failed.add(event(T0.plusMillis(10L * i), DeliveryStatus.DEAD_LETTERED));
        }
        String succeededLater = event(T0.plusMillis(5), DeliveryStatus.DEAD_LETTERED);
        attempt(succeededLater, EP, T0.plusSeconds(60), DeliveryStatus.SUCCEEDED);
        String stillRetrying = event(T0.plusMillis(15), DeliveryStatus.PENDING);
        String otherEndpoint = eventTo("ep_other", T0.plusMillis(25), DeliveryStatus.DEAD_LETTERED);
        // Every history read takes 100 ms: a chunk of 50 takes 5 s, so a 20 s budget queues about 200.
        stores.events().faults().onEachCall("history", () -> clock.advance(Duration.ofMillis(100)));

        List<Recovery.Result> calls = recoverAll(recovery(Recovery.Limits.DEFAULT), T0, T0.plusSeconds(3600));

        assertThat(calls).as("more than one call").hasSizeGreaterThan(1);
        assertThat(calls.getLast().resumeSince()).isNull();
        assertThat(calls.subList(0, calls.size() - 1)).allSatisfy(r -> assertThat(r.resumeSince()).isNotNull());
        assertThat(queuedPerEvent()).as("every failed event exactly once").isEqualTo(once(failed))
                .doesNotContainKeys(succeededLater, stillRetrying, otherEndpoint);
        assertThat(calls.stream().mapToInt(Recovery.Result::queued).sum()).isEqualTo(failed.size());
        // Queued in the order the deliveries failed, across the calls.
        assertThat(stores.queue().enqueued()).extracting(DeliveryJob::eventId).containsExactlyElementsOf(failed);
    }

    @Test
    void eachCallStopsWithinItsBudgetPlusTheChunkInHand() {
        for (int i = 0; i < 300; i++) {
            event(T0.plusMillis(i), DeliveryStatus.FAILED);
        }
        stores.events().faults().onEachCall("history", () -> clock.advance(Duration.ofMillis(100)));
        Recovery recovery = recovery(Recovery.Limits.DEFAULT);
        Instant since = T0;
        do {
            Instant started = clock.instant();
            Recovery.Result r = recovery.run(WS, GEN, EP, since, T0.plusSeconds(3600));
            // 20 s of budget, then at most the chunk under way (50 reads of 100 ms): answered well within 25 s.
            assertThat(Duration.between(started, clock.instant())).isLessThanOrEqualTo(Duration.ofSeconds(25));
            since = r.resumeSince();
        } while (since != null);
        assertThat(queuedPerEvent()).hasSize(300).allSatisfy((evt, n) -> assertThat(n).isOne());
    }

    @Test
    void aCallOutOfTimeBeforeItStartsStillQueuesOneChunkSoEveryCallMakesProgress() {
        for (int i = 0; i < 120; i++) {
            event(T0.plusMillis(i / 3), DeliveryStatus.DEAD_LETTERED); // three failures per millisecond
        }
        stores.events().faults().onEachCall("history", () -> clock.advance(Duration.ofSeconds(30)));
        List<Recovery.Result> calls = recoverAll(recovery(Recovery.Limits.DEFAULT), T0, T0.plusSeconds(1));
        // A chunk of 50 grows to 51 so that it ends with its millisecond: resume_since is the next one.
        assertThat(calls).extracting(Recovery.Result::queued).containsExactly(51, 51, 18);
        assertThat(calls.getFirst().resumeSince()).isEqualTo(T0.plusMillis(17));
        assertThat(queuedPerEvent()).hasSize(120).allSatisfy((evt, n) -> assertThat(n).isOne());
    }

    /**
     * A read budget of 7 attempts cuts the window at the end of a millisecond, never inside one, and an
     * event whose attempts fall on both sides of a cut is judged once, by its latest attempt.
     */
    @Test
    void theReadBudgetCutsTheWindowBetweenMillisecondsAndJudgesEachEventByItsLatestAttempt() {
        List<String> failed = new ArrayList<>();
        for (int ms = 0; ms < 12; ms++) {
            for (int k = 0; k < 3; k++) { // three attempts in each millisecond
                failed.add(event(T0.plusMillis(ms), DeliveryStatus.DEAD_LETTERED));
            }
        }
        String retriedThenDeadLettered = event(T0.plusMillis(1), DeliveryStatus.PENDING);
        attempt(retriedThenDeadLettered, EP, T0.plusMillis(9), DeliveryStatus.DEAD_LETTERED);
        failed.add(retriedThenDeadLettered);
        // Failed for good (e.g. abandoned), retried by hand, dead-lettered: two failures of one delivery,
        // the second beyond the first cut. Judged once, when the call that reads the later one comes.
        String failedTwice = event(T0.plusMillis(0), DeliveryStatus.FAILED);
        attempt(failedTwice, EP, T0.plusMillis(8), DeliveryStatus.DEAD_LETTERED);
        failed.add(failedTwice);
        String failedThenSucceeded = event(T0.plusMillis(2), DeliveryStatus.PENDING);
        attempt(failedThenSucceeded, EP, T0.plusMillis(10), DeliveryStatus.SUCCEEDED);
        String deadLetteredThenRecovered = event(T0.plusMillis(3), DeliveryStatus.DEAD_LETTERED);
        attempt(deadLetteredThenRecovered, EP, T0.plusMillis(11), DeliveryStatus.SUCCEEDED);

        List<Recovery.Result> calls = recoverAll(recovery(new Recovery.Limits(Duration.ofSeconds(20), 7)), T0, T0.plusMillis(11));

        assertThat(calls).as("about 40 attempts, 7 or a few more per call").hasSizeGreaterThanOrEqualTo(5);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i).resumeSince() == null || calls.get(i).resumeSince().isAfter(calls.get(i - 1).resumeSince()))
                    .as("resume_since moves forward").isTrue();
        }
        assertThat(queuedPerEvent()).isEqualTo(once(failed));
    }

    @Test
    void aWindowThatFitsIsRecoveredInOneCallWithoutResumeSince() {
        String failed = event(T0, DeliveryStatus.DEAD_LETTERED);
        event(T0.plusSeconds(1), DeliveryStatus.SUCCEEDED);
        Recovery.Result r = recovery(Recovery.Limits.DEFAULT).run(WS, GEN, EP, T0, T0.plusSeconds(10));
        assertThat(r).isEqualTo(new Recovery.Result(1, null));
        assertThat(queuedPerEvent()).isEqualTo(Map.of(failed, 1L));
    }

    /**
     * Events that matched the endpoint while it was disabled were never queued for it: recover sends
     * them too, once each, in time order with the failures, across calls cut by the read budget.
     * One that recover already sent is judged by its attempts from then on; one another endpoint
     * missed, or of another generation of the workspace, is not this endpoint's.
     */
    @Test
    void eventsMissedWhileDisabledAreRecoveredOnceInTimeOrderWithTheFailures() {
        List<String> expected = new ArrayList<>();
        for (int ms = 0; ms < 20; ms++) {
            expected.add(ms % 2 == 0 ? missed(EP, T0.plusMillis(ms)) : event(T0.plusMillis(ms), DeliveryStatus.DEAD_LETTERED));
        }
        String missedThenSent = missed(EP, T0.plusMillis(3));
        attempt(missedThenSent, EP, T0.plusSeconds(30), DeliveryStatus.SUCCEEDED);
        String missedThenFailed = missed(EP, T0.plusMillis(4));
        attempt(missedThenFailed, EP, T0.plusMillis(25), DeliveryStatus.DEAD_LETTERED);
        expected.add(missedThenFailed);
        String missedByAnother = missed("ep_other", T0.plusMillis(5));
        String beforeTheWindow = missed(EP, T0.minusSeconds(5));
        String ofAnotherGeneration = Ids.newId("evt_", T0.plusMillis(6));
        stores.events().putEvent(new Event(ofAnotherGeneration, WS, "01KOLDGENERATION0000000000", "order.completed", T0, null, null, "{}",
                List.of(), List.of(EP)));

        List<Recovery.Result> calls = recoverAll(recovery(new Recovery.Limits(Duration.ofSeconds(20), 4)), T0, T0.plusSeconds(10));

        assertThat(calls).as("cut by the read budget").hasSizeGreaterThan(2);
        assertThat(queuedPerEvent()).isEqualTo(once(expected))
                .doesNotContainKeys(missedThenSent, missedByAnother, beforeTheWindow, ofAnotherGeneration);
        List<String> inOrder = new ArrayList<>(expected.subList(0, 20));
        inOrder.add(missedThenFailed);
        assertThat(stores.queue().enqueued()).extracting(DeliveryJob::eventId).containsExactlyElementsOf(inOrder);
        assertThat(stores.queue().enqueued()).extracting(DeliveryJob::generation).containsOnly(GEN);
    }

    /** An event created at {@code at} that {@code endpoint} missed while disabled (no attempt to it). */
    private String missed(String endpoint, Instant at) {
        String id = Ids.newId("evt_", at);
        stores.events().putEvent(new Event(id, WS, GEN, "order.completed", at, null, null, "{}", List.of(), List.of(endpoint)));
        return id;
    }

    /** Calls recover from {@code since}, then again from each {@code resume_since}, with the same until. */
    private static List<Recovery.Result> recoverAll(Recovery recovery, Instant since, Instant until) {
        List<Recovery.Result> calls = new ArrayList<>();
        Instant from = since;
        do {
            assertThat(calls).as("calls").hasSizeLessThan(100);
            Recovery.Result r = recovery.run(WS, GEN, EP, from, until);
            calls.add(r);
            from = r.resumeSince();
        } while (from != null);
        return calls;
    }

    private String event(Instant failedAt, DeliveryStatus status) {
        return eventTo(EP, failedAt, status);
    }

    /** An event sent to {@code endpoint} whose (first) attempt was made at {@code at}. */
    private String eventTo(String endpoint, Instant at, DeliveryStatus status) {
        String id = Ids.newId("evt_", at.minusSeconds(1));
        stores.events().putEvent(new Event(id, WS, GEN, "order.completed", at.minusSeconds(1), null, null, "{}", List.of(endpoint)));
        attempt(id, endpoint, at, status);
        return id;
    }

    private void attempt(String eventId, String endpoint, Instant at, DeliveryStatus status) {
        boolean ok = status == DeliveryStatus.SUCCEEDED;
        stores.events().putAttempt(new Attempt(Ids.newId("att_", at), WS, GEN, eventId, endpoint, 1,
                ok ? Attempt.Status.SUCCEEDED : Attempt.Status.FAILED, ok ? 200 : 503, null, ok ? null : "receiver answered HTTP 503",
                5, at, null, status));
    }

    private Map<String, Long> queuedPerEvent() {
        return stores.queue().enqueued().stream().collect(Collectors.groupingBy(DeliveryJob::eventId, Collectors.counting()));
    }

    private static Map<String, Long> once(List<String> eventIds) {
        return eventIds.stream().collect(Collectors.toMap(Function.identity(), e -> 1L));
    }
}
