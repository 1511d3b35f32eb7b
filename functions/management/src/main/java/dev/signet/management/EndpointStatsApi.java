package dev.signet.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;
import dev.signet.core.stats.EndpointHour;
import dev.signet.core.stats.HourlyCounts;
import dev.signet.core.store.EndpointStatsStore;
import dev.signet.core.store.EndpointStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * {@code GET …/endpoints/{ep}/stats?period=24h|7d} (openapi.yaml, endpoint statistics): one bucket
 * per hour of the period, oldest first, the current hour last, empty hours included, and the totals.
 * The delivery function writes the counters once per endpoint and hour per invocation.
 */
final class EndpointStatsApi {
    private static final Map<String, Integer> PERIODS = Map.of("24h", 24, "7d", 7 * 24);
    private static final Duration HOUR = Duration.ofHours(1);

    private final EndpointStore endpoints;
    private final EndpointStatsStore stats;
    private final Clock clock;

    EndpointStatsApi(EndpointStore endpoints, EndpointStatsStore stats, Clock clock) {
        this.endpoints = endpoints;
        this.stats = stats;
        this.clock = clock;
    }

    ApiResponse stats(Principal p, String workspaceId, String endpointId, ApiRequest request) {
        Access.adminOrSession(p, workspaceId);
        String period = request.query().getOrDefault("period", "24h");
        Integer hours = PERIODS.get(period);
        if (hours == null) {
            throw ApiException.invalid("period", "period must be \"24h\" or \"7d\"");
        }
        if (!DeliveryLogApi.ID.matcher(endpointId).matches()) {
            throw EndpointChanges.notFound();
        }
        endpoints.get(workspaceId, endpointId).orElseThrow(EndpointChanges::notFound);
        Instant to = EndpointHour.startOf(clock.instant()).plus(HOUR);
        Instant from = to.minus(HOUR.multipliedBy(hours));
        Map<Instant, HourlyCounts> counted = stats.hours(workspaceId, endpointId, from, to);

        ObjectNode body = Json.object().put("period", period).put("bucket_seconds", HOUR.toSeconds());
        ArrayNode buckets = body.putArray("buckets");
        HourlyCounts total = HourlyCounts.NONE;
        for (Instant h = from; h.isBefore(to); h = h.plus(HOUR)) {
            HourlyCounts c = counted.getOrDefault(h, HourlyCounts.NONE);
            total = total.plus(c);
            ObjectNode b = buckets.addObject().put("start", Timestamps.format(h)).put("succeeded", c.succeeded())
                    .put("failed", c.failed()).put("dead_lettered", c.deadLettered());
            Long avg = c.durationMsAverage();
            if (avg == null) {
                b.putNull("duration_ms_avg");
            } else {
                b.put("duration_ms_avg", avg);
            }
        }
        body.putObject("totals").put("succeeded", total.succeeded()).put("failed", total.failed())
                .put("dead_lettered", total.deadLettered());
        return ApiResponse.json(200, body);
    }
}
