package dev.signet.it;

import dev.signet.core.store.EndpointSlots;
import dev.signet.core.store.EndpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint's request slots in DynamoDB (moto, the real SDK): no more than the cap are held at once;
 * a released slot is free again; a slot whose holder died frees itself when it expires; and the
 * endpoint's measured pace is shared. Local mode runs moto with DynamoDB's atomicity
 * ({@code moto_atomic.py}), so the cap also holds when takers race.
 */
class EndpointSlotsHoldAcrossInstancesTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void twentyTakersGetExactlyTheCapAndReleasedOrExpiredSlotsComeBack() {
        EndpointStore slots = signet.stack().stores().config();
        Instant now = Instant.now();
        List<EndpointSlots.Slot> held = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            EndpointSlots.Slot s = slots.tryTake("ws_slots", "ep_1", 6, Duration.ofSeconds(30), now);
            if (s != null) {
                held.add(s);
            }
        }
        assertThat(held).hasSize(6);
        assertThat(held.stream().map(EndpointSlots.Slot::index).distinct()).hasSize(6);
        assertThat(slots.tryTake("ws_slots", "ep_1", 6, Duration.ofSeconds(30), now)).as("all held").isNull();
        assertThat(slots.tryTake("ws_slots", "ep_other", 6, Duration.ofSeconds(30), now)).as("another endpoint's own slots").isNotNull();

        slots.release(held.getFirst());
        EndpointSlots.Slot again = slots.tryTake("ws_slots", "ep_1", 6, Duration.ofSeconds(30), now);
        assertThat(again).isNotNull();
        assertThat(again.index()).isEqualTo(held.getFirst().index());

        // A holder that died never releases: past the expiry its slot is free to take.
        Instant later = now.plus(Duration.ofSeconds(31));
        Set<Integer> retaken = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 6; i++) {
            EndpointSlots.Slot s = slots.tryTake("ws_slots", "ep_1", 6, Duration.ofSeconds(30), later);
            assertThat(s).isNotNull();
            retaken.add(s.index());
        }
        assertThat(retaken).hasSize(6);
        // A late release of an expired slot that another took leaves the new holder alone.
        slots.release(held.get(1));
        assertThat(slots.tryTake("ws_slots", "ep_1", 6, Duration.ofSeconds(30), later)).isNull();
    }

    @Test
    void takersRacingFromManyInstancesGetExactlyTheCap() throws Exception {
        EndpointStore slots = signet.stack().stores().config();
        Instant now = Instant.now();
        List<EndpointSlots.Slot> held = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> takers = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            takers.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                EndpointSlots.Slot s = slots.tryTake("ws_race", "ep_1", 4, Duration.ofSeconds(30), now);
                if (s != null) {
                    held.add(s);
                }
            }));
        }
        start.countDown();
        for (Thread t : takers) {
            t.join(Duration.ofSeconds(60));
        }
        assertThat(held).hasSize(4);
        assertThat(held.stream().map(EndpointSlots.Slot::index).distinct()).hasSize(4);
    }

    @Test
    void theMeasuredPaceIsShared() {
        EndpointStore slots = signet.stack().stores().config();
        assertThat(slots.pace("ws_slots", "ep_pace")).isNull();
        slots.recordPace("ws_slots", "ep_pace", EndpointSlots.Pace.SLOW, Instant.now());
        assertThat(slots.pace("ws_slots", "ep_pace")).isEqualTo(EndpointSlots.Pace.SLOW);
        slots.recordPace("ws_slots", "ep_pace", EndpointSlots.Pace.FAST, Instant.now());
        assertThat(slots.pace("ws_slots", "ep_pace")).isEqualTo(EndpointSlots.Pace.FAST);
    }
}
