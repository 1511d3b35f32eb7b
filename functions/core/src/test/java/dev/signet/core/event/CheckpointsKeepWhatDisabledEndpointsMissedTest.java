package dev.signet.core.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retried ingest request rebuilds its events from the Idempotency-Key's checkpoint; the disabled
 * endpoints each event missed come back with them, so an event stored by the retry can still be
 * recovered for them. Checkpoints written before they were kept read as missing nothing.
 */
class CheckpointsKeepWhatDisabledEndpointsMissedTest {
    private static final Instant T0 = Instant.parse("2026-04-17T18:22:00Z");

    @Test
    void theMissedEndpointsSurviveTheCheckpoint() {
        IntakeCheckpoint c = new IntakeCheckpoint(T0, List.of("evt_1", "evt_2"), List.of(List.of("ep_a"), List.of()),
                List.of(List.of("ep_off"), List.of("ep_a", "ep_off")), new EventIntake.Progress(false, new BitSet()));
        List<EventInput> inputs = List.of(new EventInput("order.completed", null, null, "{}"), new EventInput("order.refunded", null, null, "{}"));

        EventIntake.Plan plan = IntakeCheckpoint.fromJson(c.toJson()).plan("casterly", "G1", inputs);

        assertThat(plan.events()).extracting(Event::missedEndpointIds).containsExactly(List.of("ep_off"), List.of("ep_a", "ep_off"));
        assertThat(plan.events()).extracting(Event::endpointIds).containsExactly(List.of("ep_a"), List.of());
        assertThat(plan.events()).extracting(Event::generation).containsOnly("G1");
    }

    @Test
    void anOlderCheckpointMissesNothing() {
        String older = "{\"v\":1,\"created_at\":\"2026-04-17T18:22:00Z\",\"endpoints\":[\"ep_a\"],"
                + "\"events\":[{\"id\":\"evt_1\",\"to\":\"01\"}],\"stored\":false,\"queued\":\"\"}";

        EventIntake.Plan plan = IntakeCheckpoint.fromJson(older).plan("casterly", "", List.of(new EventInput("order.completed", null, null, "{}")));

        assertThat(plan.events().getFirst().endpointIds()).containsExactly("ep_a");
        assertThat(plan.events().getFirst().missedEndpointIds()).isEmpty();
    }
}
