package dev.signet.core.ids;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The delivery log reads a time window as a range of attempt ids: every id made in a millisecond lies
 * between that millisecond's lowest and highest id, and no id of a neighbouring millisecond does.
 */
class TimeWindowsAreIdRangesTest {
    private static final Instant AT = Instant.parse("2026-04-17T18:22:00.123Z");

    @Test
    void everyIdOfAMillisecondIsInsideItsRangeAndNoNeighbourIs() {
        String lo = Ids.lowestAt("att_", AT);
        String hi = Ids.highestAt("att_", AT);
        for (int i = 0; i < 200; i++) {
            String id = Ids.newId("att_", AT.plusNanos(i * 4_000L)); // still the same millisecond
            assertThat(id).isBetween(lo, hi);
            assertThat(Ids.newId("att_", AT.minusMillis(1))).isLessThan(lo);
            assertThat(Ids.newId("att_", AT.plusMillis(1))).isGreaterThan(hi);
        }
        assertThat(Ids.highestAt("att_", AT.minusMillis(1))).isLessThan(lo);
        assertThat(lo).hasSize("att_".length() + 26).hasSameSizeAs(hi);
    }

    @Test
    void anIdTellsTheMillisecondItWasMadeIn() {
        assertThat(Ids.timeOf(Ids.newId("att_", AT))).isEqualTo(AT);
        assertThat(Ids.timeOf(Ids.newId("evt_", AT.plusNanos(999_999)))).isEqualTo(AT);
        assertThat(Ids.timeOf(Ids.lowestAt("att_", AT))).isEqualTo(AT);
        assertThat(Ids.timeOf(Ids.highestAt("att_", AT))).isEqualTo(AT);
        assertThat(Ids.timeOf(Ids.newId("att_", Instant.EPOCH))).isEqualTo(Instant.EPOCH);
    }

    @Test
    void windowEdgesBeyondWhatAnIdCanHoldCoverEverythingOnThatSide() {
        assertThat(Ids.lowestAt("att_", Instant.MIN)).isEqualTo(Ids.lowestAt("att_", Instant.EPOCH));
        assertThat(Ids.lowestAt("att_", Instant.EPOCH.minusSeconds(1))).isEqualTo(Ids.lowestAt("att_", Instant.EPOCH));
        assertThat(Ids.highestAt("att_", Instant.MAX)).isEqualTo("att_7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        assertThat(Ids.newId("att_", AT)).isLessThan(Ids.highestAt("att_", Instant.MAX));
    }

    @Test
    void somethingThatIsNotAnIdIsRefused() {
        assertThatThrownBy(() -> Ids.timeOf("att_short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ids.timeOf("att_01K0U!!!!!0000000000000000")).isInstanceOf(IllegalArgumentException.class);
    }
}
