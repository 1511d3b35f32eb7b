package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * How an endpoint is doing, hour by hour (README.md, "Endpoint statistics"): one bucket per hour of
 * the period, oldest first, the current hour last, empty hours included, and the period's totals.
 * {@code succeeded} and {@code deadLettered} count deliveries, {@code failed} counts failed attempts.
 * The counts trail the delivery log by one delivery invocation and are best effort.
 */
public record EndpointStats(Period period, int bucketSeconds, List<Bucket> buckets, Totals totals) {
    /** The span the statistics cover: the last 24 hours (24 buckets) or the last 7 days (168). */
    public enum Period {
        LAST_24_HOURS("24h"), LAST_7_DAYS("7d");

        private final String wire;

        Period(String wire) {
            this.wire = wire;
        }

        /** The value of the {@code period} query parameter, e.g. {@code 24h}. */
        public String wire() {
            return wire;
        }

        static Period from(String wire) {
            for (Period p : values()) {
                if (p.wire.equals(wire)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** One hour from {@code start}; {@code durationMsAvg} averages the attempts that sent a request, null when none did. */
    public record Bucket(Instant start, long succeeded, long failed, long deadLettered, Long durationMsAvg) {
        static Bucket from(JsonNode n) {
            JsonNode avg = Wire.tree(n, "duration_ms_avg");
            return new Bucket(Wire.instant(n, "start"), Wire.number(n, "succeeded"), Wire.number(n, "failed"),
                    Wire.number(n, "dead_lettered"), avg == null ? null : avg.asLong());
        }
    }

    /** The sums of the period's buckets. */
    public record Totals(long succeeded, long failed, long deadLettered) {
        static Totals from(JsonNode n) {
            return new Totals(Wire.number(n, "succeeded"), Wire.number(n, "failed"), Wire.number(n, "dead_lettered"));
        }
    }

    public EndpointStats {
        buckets = List.copyOf(buckets);
    }

    static EndpointStats from(JsonNode n) {
        return new EndpointStats(Period.from(Wire.text(n, "period")), (int) Wire.number(n, "bucket_seconds"),
                Wire.list(n, "buckets", Bucket::from), Totals.from(n.path("totals")));
    }
}
