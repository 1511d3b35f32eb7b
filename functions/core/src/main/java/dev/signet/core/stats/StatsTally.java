package dev.signet.core.stats;

import dev.signet.core.event.Attempt;
import dev.signet.core.log.Log;
import dev.signet.core.store.EndpointStatsStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The statistics of one delivery invocation, counted in memory as its attempts settle (from any
 * thread) and written once at the end: one UpdateItem per endpoint and hour the invocation touched,
 * instead of one per attempt (COST.md, "Endpoint statistics"). Counters are best effort: an
 * invocation that dies before {@link #flushTo} loses its counts, while the delivery log stays exact.
 */
public final class StatsTally {
    private final ConcurrentHashMap<EndpointHour, HourlyCounts> counts = new ConcurrentHashMap<>();

    /**
     * Counts one settled attempt in its hour.
     *
     * @param requestMade whether a request was sent (only those count towards the average duration)
     */
    public void add(Attempt a, boolean requestMade) {
        boolean ok = a.status() == Attempt.Status.SUCCEEDED;
        HourlyCounts one = new HourlyCounts(ok ? 1 : 0, ok ? 0 : 1,
                a.deliveryStatus() == Attempt.DeliveryStatus.DEAD_LETTERED ? 1 : 0,
                requestMade ? a.durationMs() : 0, requestMade ? 1 : 0);
        counts.merge(new EndpointHour(a.workspaceId(), a.endpointId(), a.createdAt()), one, HourlyCounts::plus);
    }

    /** What has been counted so far, by endpoint and hour. */
    public Map<EndpointHour, HourlyCounts> counted() {
        return Map.copyOf(counts);
    }

    /**
     * Writes every endpoint-hour's counts, concurrently, waiting at most {@code budget}. A write that
     * fails or does not finish in time is logged and its counts dropped: statistics never hold up or
     * fail the deliveries they count.
     *
     * @return how many endpoint-hours were written
     */
    public int flushTo(EndpointStatsStore store, Duration budget) {
        Map<EndpointHour, HourlyCounts> pending = counted();
        if (pending.isEmpty()) {
            return 0;
        }
        List<EndpointHour> hours = new ArrayList<>(pending.keySet());
        List<Callable<Void>> writes = hours.stream().<Callable<Void>>map(h -> () -> {
            store.add(h, pending.get(h));
            return null;
        }).toList();
        int written = 0;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> results = threads.invokeAll(writes, Math.max(0, budget.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
            for (int i = 0; i < results.size(); i++) {
                EndpointHour h = hours.get(i);
                try {
                    results.get(i).get();
                    written++;
                } catch (Exception e) {
                    Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
                    Log.warn("endpoint statistics not written", f -> f.put("workspace_id", h.workspaceId())
                            .put("endpoint_id", h.endpointId()).put("hour", h.hour().toString())
                            .put("error_type", cause.getClass().getName()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counts.clear();
        return written;
    }
}
