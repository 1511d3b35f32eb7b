package dev.signet.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.stats.EndpointHour;
import dev.signet.core.stats.HourlyCounts;
import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET …/endpoints/{ep}/stats}: one bucket per hour of the period (24 or 168), oldest first,
 * the current hour last, empty hours included, with the period's totals; only the workspace's
 * credentials see it.
 */
class EndpointStatsShowEveryHourOfThePeriodTest {
    private final ManagementOverMemory api = new ManagementOverMemory(new MutableClock(Instant.parse("2026-04-17T18:22:00Z")));

    @Test
    void everyHourOfThePeriodIsABucketOldestFirst() {
        String session = api.workspaceWithSession("casterly");
        String ep = api.endpoint("casterly", session);
        api.stores.stats().add(new EndpointHour("casterly", ep, Instant.parse("2026-04-17T18:05:00Z")), new HourlyCounts(5, 2, 1, 700, 7));
        api.stores.stats().add(new EndpointHour("casterly", ep, Instant.parse("2026-04-16T19:00:00Z")), new HourlyCounts(1, 0, 0, 40, 1));
        // Outside the 24 hours, inside the 7 days:
        api.stores.stats().add(new EndpointHour("casterly", ep, Instant.parse("2026-04-16T18:00:00Z")), new HourlyCounts(3, 3, 0, 60, 6));
        // Another endpoint's counts stay its own.
        api.stores.stats().add(new EndpointHour("casterly", "ep_other", Instant.parse("2026-04-17T18:00:00Z")), new HourlyCounts(9, 9, 9, 9, 9));

        JsonNode day = api.call("GET", "/v1/workspaces/casterly/endpoints/" + ep + "/stats?period=24h", session, null).json();
        assertThat(day.path("period").asText()).isEqualTo("24h");
        assertThat(day.path("bucket_seconds").asInt()).isEqualTo(3600);
        JsonNode buckets = day.path("buckets");
        assertThat(buckets).hasSize(24);
        assertThat(buckets.get(0).path("start").asText()).isEqualTo("2026-04-16T19:00:00Z");
        assertThat(buckets.get(0).path("succeeded").asInt()).isEqualTo(1);
        assertThat(buckets.get(1).path("succeeded").asInt()).isZero();
        assertThat(buckets.get(1).path("duration_ms_avg").isNull()).isTrue();
        JsonNode now = buckets.get(23);
        assertThat(now.path("start").asText()).isEqualTo("2026-04-17T18:00:00Z");
        assertThat(now.path("succeeded").asInt()).isEqualTo(5);
        assertThat(now.path("failed").asInt()).isEqualTo(2);
        assertThat(now.path("dead_lettered").asInt()).isEqualTo(1);
        assertThat(now.path("duration_ms_avg").asInt()).isEqualTo(100);
        assertThat(day.path("totals").toString()).isEqualTo("{\"succeeded\":6,\"failed\":2,\"dead_lettered\":1}");

        JsonNode week = api.call("GET", "/v1/workspaces/casterly/endpoints/" + ep + "/stats?period=7d", ApiAdmin.KEY, null).json();
        assertThat(week.path("buckets")).hasSize(168);
        assertThat(week.path("buckets").get(0).path("start").asText()).isEqualTo("2026-04-10T19:00:00Z");
        assertThat(week.path("totals").toString()).isEqualTo("{\"succeeded\":9,\"failed\":5,\"dead_lettered\":1}");
    }

    @Test
    void aWrongPeriodOrAnotherWorkspacesEndpointIsRefused() {
        String session = api.workspaceWithSession("casterly");
        String ep = api.endpoint("casterly", session);
        String other = api.workspaceWithSession("riverrun");
        ManagementOverMemory.Reply period = api.call("GET", "/v1/workspaces/casterly/endpoints/" + ep + "/stats?period=1h", session, null);
        assertThat(period.status()).isEqualTo(400);
        assertThat(period.json().path("error").path("field").asText()).isEqualTo("period");
        assertThat(api.call("GET", "/v1/workspaces/casterly/endpoints/" + ep + "/stats", other, null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/workspaces/riverrun/endpoints/" + ep + "/stats", other, null).status()).isEqualTo(404);
        assertThat(api.call("GET", "/v1/workspaces/casterly/endpoints/ep_missing/stats", session, null).status()).isEqualTo(404);
    }

    /** The admin key, which reads statistics like a session. */
    private static final class ApiAdmin {
        static final String KEY = ManagementOverMemory.ADMIN;
    }
}
