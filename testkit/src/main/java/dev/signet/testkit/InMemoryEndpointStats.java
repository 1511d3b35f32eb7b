package dev.signet.testkit;

import dev.signet.core.stats.EndpointHour;
import dev.signet.core.stats.HourlyCounts;
import dev.signet.core.store.EndpointStatsStore;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Endpoint statistics in memory, adding up like UpdateItem ADD. Counts writes. */
public final class InMemoryEndpointStats implements EndpointStatsStore {
    private final Faults faults = new Faults();
    private final Map<EndpointHour, HourlyCounts> hours = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    public Faults faults() {
        return faults;
    }

    /** How many writes were made. */
    public long writes() {
        return writes.get();
    }

    @Override
    public void add(EndpointHour hour, HourlyCounts counts) {
        faults.check("add");
        writes.incrementAndGet();
        hours.merge(hour, counts, HourlyCounts::plus);
    }

    @Override
    public Map<Instant, HourlyCounts> hours(String workspaceId, String endpointId, Instant from, Instant to) {
        faults.check("hours");
        Map<Instant, HourlyCounts> out = new TreeMap<>();
        hours.forEach((h, c) -> {
            if (h.workspaceId().equals(workspaceId) && h.endpointId().equals(endpointId)
                    && !h.hour().isBefore(from) && h.hour().isBefore(to)) {
                out.put(h.hour(), c);
            }
        });
        return out;
    }
}
