package dev.signet.core.stats;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One endpoint's hour: the unit the statistics are counted, written and read in. */
public record EndpointHour(String workspaceId, String endpointId, Instant hour) {
    public EndpointHour {
        hour = startOf(hour);
    }

    /** The start of the hour {@code at} falls in (UTC). */
    public static Instant startOf(Instant at) {
        return at.truncatedTo(ChronoUnit.HOURS);
    }
}
