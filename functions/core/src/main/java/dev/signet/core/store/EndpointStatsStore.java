package dev.signet.core.store;

import dev.signet.core.stats.EndpointHour;
import dev.signet.core.stats.HourlyCounts;

import java.time.Instant;
import java.util.Map;

/** Hourly delivery counters per endpoint, kept a little longer than the longest period shown (7 days). */
public interface EndpointStatsStore {
    /** Adds {@code counts} to the hour's counters, creating them if needed: one write. */
    void add(EndpointHour hour, HourlyCounts counts);

    /** The hours in {@code [from, to)} that have counters, keyed by the hour's start. */
    Map<Instant, HourlyCounts> hours(String workspaceId, String endpointId, Instant from, Instant to);
}
