package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The functions' metrics are CloudWatch Embedded Metric Format lines in the one log output: each
 * parses, declares its metrics in namespace Signet with the Function dimension only (no workspace or
 * endpoint dimension), and carries the values; every delivery attempt line carries the request id and
 * is itself the attempt's EMF record.
 */
class MetricsAreEmbeddedInTheLogsTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void ingestAndDeliveryEmitEmfMetricsAndAttemptLinesCarryTheRequestId() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (TestReceiver receiver = new TestReceiver().answering(n -> TestReceiver.Reply.status(n == 1 ? 500 : 200))) {
            Tenant tenant = signet.tenant("metrics", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(signet.api(), Tenant.SEED_EVENT).text("id");
            signet.awaitAttempts(tenant.workspaceId(), eventId, 2);
            Eventually.get(Duration.ofSeconds(5), () -> captured.toString(StandardCharsets.UTF_8), s -> s.contains("DeliveriesSucceeded"));
        } finally {
            Log.redirect(System.out);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            lines.add(Json.parse(line)); // every line is one JSON object
        }
        List<JsonNode> emf = lines.stream().filter(l -> l.has("_aws")).toList();
        for (JsonNode l : emf) {
            assertThat(l.at("/_aws/Timestamp").isNumber()).isTrue();
            JsonNode directive = l.at("/_aws/CloudWatchMetrics/0");
            assertThat(directive.path("Namespace").asText()).isEqualTo("Signet");
            assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"Function\"]]");
            for (JsonNode m : directive.path("Metrics")) {
                assertThat(l.path(m.path("Name").asText()).isNumber()).as(m + " has a value in " + l).isTrue();
            }
        }
        JsonNode ingest = emf.stream().filter(l -> l.has("EventsIngested")).findFirst().orElseThrow();
        assertThat(ingest.path("Function").asText()).isEqualTo("ingest");
        assertThat(ingest.path("EventsIngested").asInt()).isEqualTo(1);
        assertThat(ingest.path("DeliveriesQueued").asInt()).isEqualTo(1);
        JsonNode failed = emf.stream().filter(l -> l.has("AttemptsFailed")).findFirst().orElseThrow();
        JsonNode succeeded = emf.stream().filter(l -> l.has("DeliveriesSucceeded")).findFirst().orElseThrow();
        assertThat(succeeded.path("Function").asText()).isEqualTo("delivery");
        assertThat(succeeded.path("AttemptLatency").isNumber()).isTrue();
        assertThat(succeeded.path("workspace_id").asText()).as("a property, not a dimension").isEqualTo("metrics");
        assertThat(failed.at("/_aws/CloudWatchMetrics/0/Metrics").toString()).contains("AttemptLatency").contains("Milliseconds");

        List<JsonNode> attempts = lines.stream().filter(l -> "delivery attempt".equals(l.path("message").asText())).toList();
        assertThat(attempts).hasSize(2);
        assertThat(attempts).allSatisfy(a -> assertThat(a.path("request_id").asText()).isNotBlank());
        assertThat(attempts).allSatisfy(a -> assertThat(a.fieldNames()).toIterable()
                .contains("workspace_id", "endpoint_id", "event_id", "attempt", "outcome", "status", "duration_ms"));
        // Each attempt's line is also its EMF record: one line per attempt, each metric counted once.
        assertThat(attempts).allSatisfy(a -> assertThat(a.has("_aws")).isTrue());
        assertThat(emf.stream().filter(l -> l.has("DeliveriesSucceeded"))).hasSize(1);
        assertThat(emf.stream().filter(l -> l.has("AttemptsFailed"))).hasSize(1);
    }
}
