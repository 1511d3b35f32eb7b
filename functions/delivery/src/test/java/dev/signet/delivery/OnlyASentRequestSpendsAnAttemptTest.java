package dev.signet.delivery;

import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.store.DeliveryQueue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On AWS many receives are not attempts: a throttled invocation, a crash before settling, a store
 * outage, a message received before it is due. Signet counts attempts in the message, so none of these
 * spends one: attempt numbers in the log run 1..n without gaps, and a delivery is never dead-lettered
 * for receives it did not try. Each case is AWS's behaviour injected at the port.
 */
class OnlyASentRequestSpendsAnAttemptTest {
    final DeliveryFixture f = new DeliveryFixture();

    @Test
    void aMessageReceivedManyTimesWithoutAnInvocationStillMakesAttemptOne() {
        // A throttled invocation's messages come back after the visibility timeout, receive count and all.
        f.endpoint("ep_1");
        DeliveryJob job = DeliveryFixture.job(f.message("ep_1", 1));
        var m = f.message(job, 7);

        assertThat(f.deliver(m)).isTrue();

        assertThat(f.onlyAttempt().attempt()).isEqualTo(1);
        assertThat(f.onlyAttempt().deliveryStatus()).isEqualTo(Attempt.DeliveryStatus.SUCCEEDED);
    }

    @Test
    void anInvocationThatDiesBeforeSettlingRepeatsTheSameAttemptUnderTheSameId() {
        f.endpoint("ep_1");
        f.receiver.answers(500, 500);
        var m = f.message("ep_1", 1);
        f.stores.queue().faults().failNext("replace", 1, () -> new InvocationKilled());

        assertThatThrownBy(() -> f.deliver(m)).isInstanceOf(InvocationKilled.class);
        assertThat(f.deliver(f.again(m))).isFalse();

        assertThat(f.receiver.requests).hasSize(2);
        assertThat(f.attempts()).extracting(Attempt::attempt).containsExactly(1);
        assertThat(f.stores.queue().successors()).singleElement()
                .satisfies(s -> assertThat(s.job().progress().attempt()).isEqualTo(2));
    }

    @Test
    void aStoreOutageBeforeTheSendHidesTheMessageWithBackoffAndSpendsNothing() {
        f.endpoint("ep_1");
        f.stores.config().faults().failAlways("get", () -> new IllegalStateException("Unable to execute HTTP request: Read timed out"));
        var m = f.message("ep_1", 1);

        assertThat(f.deliver(m)).isFalse();
        var back = f.again(m);
        assertThat(f.deliver(back)).isFalse();

        assertThat(f.postponed(m)).isEqualTo(Duration.ofSeconds(5));
        assertThat(f.postponed(back)).isEqualTo(Duration.ofSeconds(10));
        assertThat(f.receiver.requests).isEmpty();
        assertThat(f.attempts()).isEmpty();

        f.stores.config().faults().clear("get");
        assertThat(f.deliver(f.again(back))).isTrue();
        assertThat(f.onlyAttempt().attempt()).isEqualTo(1);
    }

    @Test
    void aMessageReceivedBeforeItIsDueIsHiddenUntilThenUnattempted() {
        f.endpoint("ep_1");
        DeliveryJob job = DeliveryFixture.job(f.message("ep_1", 1));
        DeliveryJob later = job.with(job.progress().next(f.clock.instant().plus(Duration.ofMinutes(7)), null));

        var m = f.message(later, 1);
        assertThat(f.deliver(m)).isFalse();

        assertThat(f.postponed(m)).isEqualTo(Duration.ofMinutes(7));
        assertThat(f.receiver.requests).isEmpty();
        f.clock.advance(Duration.ofMinutes(7));
        assertThat(f.deliver(f.again(m))).isTrue();
        assertThat(f.onlyAttempt().attempt()).isEqualTo(2);
    }

    @Test
    void visibilityNeverPassesTwelveHoursFromTheReceiveAndARefusalIsRetriedShorter() {
        f.endpoint("ep_1");
        DeliveryJob job = DeliveryFixture.job(f.message("ep_1", 1));
        // Due in 11 h 50 min (a 10 h delay with jitter), received in an invocation that started 30 min ago.
        DeliveryJob later = job.with(job.progress().next(f.clock.instant().plus(Duration.ofHours(12)), null));
        var m = f.message(later, 1);
        f.stores.queue().received(m.receiptHandle());
        f.clock.advance(Duration.ofMinutes(10));

        boolean done = f.worker.process(m, new DeliveryWorker.Invocation(DeliveryWorker.NO_DEADLINE,
                f.clock.instant().minus(Duration.ofMinutes(30))));

        assertThat(done).isFalse();
        // 12 h from the invocation's start, minus what passed and a margin; the queue (which counts from
        // its own receive, 10 min ago) accepts it.
        assertThat(f.postponed(m)).isEqualTo(Duration.ofHours(12).minusMinutes(30).minus(MessageSteps.VISIBILITY_MARGIN));

        var refused = f.message(job.with(job.progress().next(f.clock.instant().plus(Duration.ofHours(24)), null)), 1);
        f.stores.queue().received(refused.receiptHandle());
        f.clock.advance(Duration.ofHours(6)); // SQS received it 6 h ago, but the invocation looks new
        f.worker.process(refused, DeliveryWorker.Invocation.unbounded(f.clock.instant()));
        Duration asked = f.postponed(refused);
        assertThat(asked).as("refused at 11 h 58 min, accepted when halved").isEqualTo(Duration.ofHours(12).minus(MessageSteps.VISIBILITY_MARGIN).dividedBy(2));
        assertThat(Duration.ofHours(6).plus(asked)).isLessThanOrEqualTo(DeliveryQueue.MAX_VISIBILITY);
    }

    @Test
    void aMessageReceivedHalfTheMaxReceiveCountIsReplacedByAFreshCopyInsteadOfHidden() {
        f.endpoint("ep_1");
        f.stores.config().faults().failAlways("get", () -> new IllegalStateException("throttled"));
        DeliveryJob job = DeliveryFixture.job(f.message("ep_1", 1));
        var m = f.message(job, DeliveryFixture.MAX_RECEIVES / 2);

        assertThat(f.deliver(m)).as("replaced, so its receive count starts again").isFalse();

        var copy = f.stores.queue().successors().getFirst();
        assertThat(copy.job()).isEqualTo(job);
        assertThat(copy.delay()).isEqualTo(Duration.ofSeconds(300));
        assertThat(f.attempts()).isEmpty();
    }

    @Test
    void aBusyEndpointDefersEvenTheLastAttemptWithoutSpendingIt() throws Exception {
        DeliveryFixture busy = new DeliveryFixture();
        busy.endpoint("ep_1");
        var m = busy.message("ep_1", 4);
        // Every permit is held: this invocation cannot wait for one.
        var hold = new java.util.concurrent.CountDownLatch(1);
        var holders = new java.util.ArrayList<Thread>();
        try (var gate = blockingPermits(busy, hold, holders)) {
            boolean done = busy.worker.process(m, new DeliveryWorker.Invocation(System.nanoTime() + Duration.ofSeconds(20).toNanos(),
                    busy.clock.instant()));
            assertThat(done).isFalse();
            // not measured yet: put back for a second or so (about as long as an endpoint takes to answer)
            assertThat(busy.postponed(m)).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1500));
            assertThat(busy.stores.queue().deadLettered()).isEmpty();
            assertThat(busy.attempts()).as("no request, no attempt").noneMatch(a -> a.eventId().equals(DeliveryFixture.job(m).eventId()));
        }
        assertThat(busy.attempts()).hasSize(5);
    }

    /** Holds all five permits of ep_1 with deliveries whose receiver answers only when released. */
    private static AutoCloseable blockingPermits(DeliveryFixture f, java.util.concurrent.CountDownLatch release,
                                                 List<Thread> holders) throws InterruptedException {
        var inFlight = new java.util.concurrent.CountDownLatch(5);
        WebhookSender slow = (method, url, headers, body, timeout) -> {
            inFlight.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new WebhookSender.Response(204, Map.of(), new byte[0], 1);
        };
        f.receiver.delegate(slow);
        for (int i = 0; i < 5; i++) {
            var m = f.message("ep_1", 1);
            holders.add(Thread.ofVirtual().start(() -> f.deliver(m)));
        }
        inFlight.await();
        f.receiver.delegate(null);
        return () -> {
            release.countDown();
            for (Thread t : holders) {
                t.join();
            }
        };
    }

    /** What the runtime does to an invocation at its timeout: nothing after it runs. */
    static final class InvocationKilled extends Error {
        InvocationKilled() {
            super("invocation timed out");
        }
    }

    @Test
    void aPendingRecordIsWrittenUnderItsIdBeforeTheNextAttempt() {
        f.endpoint("ep_1");
        f.receiver.answers(500, 204);
        f.stores.events().faults().failNext("putAttempt", 6, () -> new IllegalStateException("throttled"));
        var first = f.message("ep_1", 1);
        f.deliver(first);
        var second = f.successorOf(first);
        Progress p = DeliveryFixture.job(second).progress();
        assertThat(p.attempt()).isEqualTo(2);
        assertThat(p.pending()).isNotNull();

        f.clock.advance(Duration.ofSeconds(5));
        assertThat(f.deliver(second)).isTrue();

        assertThat(f.attempts()).extracting(Attempt::attempt).containsExactly(1, 2);
        assertThat(f.attempts().getFirst().id()).isEqualTo(Settlement.attemptId(DeliveryFixture.job(first)));
        assertThat(f.attempts()).extracting(Attempt::deliveryStatus)
                .containsExactly(Attempt.DeliveryStatus.PENDING, Attempt.DeliveryStatus.SUCCEEDED);
    }
}
