package dev.signet.core.stats;

/**
 * One endpoint's delivery counters for one hour (openapi.yaml, endpoint statistics): {@code failed}
 * counts failed attempts, {@code succeeded} and {@code deadLettered} deliveries (a delivery ends with
 * one succeeded attempt, or with a failed last attempt moved to the dead-letter queue). The average
 * duration is {@code durationMsSum / durationCount} over the attempts that sent a request.
 */
public record HourlyCounts(long succeeded, long failed, long deadLettered, long durationMsSum, long durationCount) {
    public static final HourlyCounts NONE = new HourlyCounts(0, 0, 0, 0, 0);

    public HourlyCounts plus(HourlyCounts o) {
        return new HourlyCounts(succeeded + o.succeeded, failed + o.failed, deadLettered + o.deadLettered,
                durationMsSum + o.durationMsSum, durationCount + o.durationCount);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The average duration in whole milliseconds, or null when no request was sent. */
    public Long durationMsAverage() {
        return durationCount == 0 ? null : Math.round((double) durationMsSum / durationCount);
    }
}
