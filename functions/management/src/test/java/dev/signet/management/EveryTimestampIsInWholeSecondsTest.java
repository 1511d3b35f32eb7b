package dev.signet.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.Event;
import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every timestamp a response carries is ISO-8601 UTC in whole seconds ({@code 2026-04-17T18:22:00Z}),
 * even when the clock and the stored instants have nanoseconds: workspaces, sessions (and the
 * {@code expires} of their portal URL), endpoints, the delivery log and event detail.
 */
class EveryTimestampIsInWholeSecondsTest {
    private static final Pattern WHOLE_SECONDS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    /** Anything that starts like a date is a timestamp, whatever its field is called. */
    private static final Pattern LOOKS_LIKE_A_TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*");

    private final MutableClock clock = MutableClock.at("2026-04-17T18:22:00.123456789Z");
    private final ManagementOverMemory api = new ManagementOverMemory(clock);

    @Test
    void everyResponseWritesWholeSeconds() {
        List<ManagementOverMemory.Reply> replies = new ArrayList<>();
        ManagementOverMemory.Reply workspace = api.call("POST", "/v1/workspaces", ManagementOverMemory.ADMIN,
                "{\"name\":\"Casterly\",\"id\":\"casterly\"}");
        replies.add(workspace);
        clock.advance(java.time.Duration.ofMillis(1_234));
        ManagementOverMemory.Reply session = api.call("POST", "/v1/workspaces/casterly/sessions", ManagementOverMemory.ADMIN,
                "{\"ttl_seconds\":900}");
        replies.add(session);
        String token = session.text("token");
        ManagementOverMemory.Reply endpoint = api.call("POST", "/v1/workspaces/casterly/endpoints", token,
                "{\"url\":\"http://127.0.0.1:9/hook\"}");
        replies.add(endpoint);
        String ep = endpoint.text("id");
        clock.advance(java.time.Duration.ofNanos(987_654_321));
        replies.add(api.call("PATCH", "/v1/workspaces/casterly/endpoints/" + ep, token, "{\"description\":\"orders\"}"));

        // An event and an attempt stored with nanoseconds, as the ingest and delivery functions store them.
        Instant t = Instant.parse("2026-04-17T18:23:04.567891234Z");
        String gen = api.stores.config().get("casterly").orElseThrow().generation();
        api.stores.events().putEvent(new Event("evt_1", "casterly", gen, "order.completed", t, "order", "ord_1", "{\"n\":1}", List.of(ep)));
        api.stores.events().putAttempt(new Attempt("att_1", "casterly", gen, "evt_1", ep, 1, Attempt.Status.FAILED, 503,
                "busy", "receiver answered HTTP 503", 41, t.plusMillis(250), t.plusMillis(5_250), Attempt.DeliveryStatus.PENDING));

        replies.add(api.call("GET", "/v1/workspaces/casterly", ManagementOverMemory.ADMIN, null));
        replies.add(api.call("GET", "/v1/workspaces/casterly/endpoints", token, null));
        replies.add(api.call("GET", "/v1/workspaces/casterly/endpoints/" + ep, token, null));
        ManagementOverMemory.Reply log = api.call("GET", "/v1/workspaces/casterly/attempts", token, null);
        replies.add(log);
        ManagementOverMemory.Reply detail = api.call("GET", "/v1/workspaces/casterly/events/evt_1", token, null);
        replies.add(detail);

        List<String> timestamps = new ArrayList<>();
        for (ManagementOverMemory.Reply r : replies) {
            assertThat(r.status()).as(r.body()).isBetween(200, 299);
            collect(r.json(), timestamps);
        }
        String portalUrl = session.text("portal_url");
        timestamps.add(URLDecoder.decode(portalUrl.substring(portalUrl.indexOf("&expires=") + 9), StandardCharsets.UTF_8));

        assertThat(timestamps).hasSizeGreaterThanOrEqualTo(12)
                .allSatisfy(s -> assertThat(s).matches(WHOLE_SECONDS));
        assertThat(workspace.text("created_at")).isEqualTo("2026-04-17T18:22:00Z");
        assertThat(session.text("expires_at")).isEqualTo("2026-04-17T18:37:01Z");
        assertThat(log.json().at("/data/0/created_at").asText()).isEqualTo("2026-04-17T18:23:04Z");
        assertThat(log.json().at("/data/0/next_attempt_at").asText()).isEqualTo("2026-04-17T18:23:09Z");
        assertThat(detail.text("created_at")).isEqualTo("2026-04-17T18:23:04Z");
    }

    private static void collect(JsonNode node, List<String> into) {
        if (node.isTextual() && LOOKS_LIKE_A_TIMESTAMP.matcher(node.asText()).matches()) {
            into.add(node.asText());
        }
        node.elements().forEachRemaining(child -> collect(child, into));
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().endsWith("_at") && !field.getValue().isNull()) {
                    assertThat(field.getValue().asText()).as(field.getKey()).matches(WHOLE_SECONDS);
                }
            }
        }
    }
}
