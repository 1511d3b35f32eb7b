package dev.signet.core.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queued delivery names the generation of the workspace it was queued for ({@code gen}), so its
 * attempts are written where that workspace's log is, never into a workspace created again under the
 * same id. Messages queued before generations existed have no {@code gen} and keep delivering.
 */
class DeliveryJobsCarryTheWorkspaceGenerationTest {
    private static final Instant T0 = Instant.parse("2026-04-17T18:22:00Z");
    private static final String GEN = "01KQ8ZJ2V7G4M6XTB3C5N9PD0R";

    @Test
    void theGenerationTravelsWithTheMessageAndEveryRunOfIt() {
        Event event = new Event("evt_1", "casterly", GEN, "order.completed", T0, null, null, "{\"n\":1}", List.of("ep_1"));
        DeliveryJob job = DeliveryJob.of(event, "ep_1");

        assertThat(job.toMessageBody()).contains("\"gen\":\"" + GEN + "\"");
        assertThat(DeliveryJob.fromMessageBody(job.toMessageBody())).isEqualTo(job);
        assertThat(DeliveryJob.run(event, "ep_1", Progress.Trigger.RECOVER, T0).generation()).isEqualTo(GEN);
        assertThat(DeliveryJob.fromMessageBody(job.forRedrive(T0).toMessageBody()).generation()).isEqualTo(GEN);
    }

    @Test
    void aMessageWithoutAGenerationBelongsToAWorkspaceWithout() {
        String queuedByAnOlderVersion = "{\"v\":2,\"workspace_id\":\"casterly\",\"endpoint_id\":\"ep_1\",\"event_id\":\"evt_1\","
                + "\"event\":\"order.completed\",\"created_at\":\"2026-04-17T18:22:00Z\",\"resource\":null,\"resource_id\":null,"
                + "\"run\":\"e\",\"trigger\":\"event\",\"attempt\":1,\"due_at\":\"2026-04-17T18:22:00Z\",\"payload\":{\"n\":1}}";

        DeliveryJob job = DeliveryJob.fromMessageBody(queuedByAnOlderVersion);

        assertThat(job.generation()).isEmpty();
        assertThat(job.toMessageBody()).as("written back as it was").doesNotContain("\"gen\"").isEqualTo(queuedByAnOlderVersion);
    }
}
