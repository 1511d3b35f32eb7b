package dev.signet.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The functions log JSON, one object per line, unless local mode asks for text on a terminal: then each
 * record is one readable line with the same fields, and the CloudWatch-only EMF structure is left out.
 */
class LogLinesReadOnATerminalTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    LogLinesReadOnATerminalTest() {
        Log.redirect(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        Log.useFormat(Log.Format.JSON);
        Log.redirect(System.out);
    }

    private List<String> lines() {
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void logSome() {
        Log.info("api request", f -> f.put("method", "POST").put("path", "/v1/events").put("status", 202).put("duration_ms", 3));
        Log.warn("delivery deferred: endpoint at its concurrency cap", f -> f.put("reason", "5 in flight, cap 5"));
        Metrics.emit("ingest", f -> f.put("workspace_id", "casterly"), Metrics.count("EventsIngested", 1));
        Log.info("delivery attempt", f -> Metrics.embed(f.put("outcome", "delivered"), "delivery", Metrics.millis("AttemptLatency", 41)));
    }

    @Test
    void jsonIsTheDefaultAndWhatLambdaGets() throws Exception {
        logSome();

        List<String> lines = lines();
        assertThat(lines).hasSize(4);
        for (String line : lines) {
            assertThat(Json.parse(line).isObject()).as(line).isTrue();
        }
        JsonNode request = Json.parse(lines.getFirst());
        assertThat(request.get("level").asText()).isEqualTo("INFO");
        assertThat(request.get("message").asText()).isEqualTo("api request");
        assertThat(request.get("status").asInt()).isEqualTo(202);
        assertThat(Json.parse(lines.get(3)).has("_aws")).as("the attempt line is its own EMF record").isTrue();
    }

    @Test
    void textIsOneReadableLinePerRecordWithTheSameFields() {
        Log.useFormat(Log.Format.TEXT);
        logSome();

        List<String> lines = lines();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} INFO   api request method=POST path=/v1/events status=202 duration_ms=3");
        assertThat(lines.get(1)).matches("\\S+ WARN   delivery deferred: endpoint at its concurrency cap reason=\"5 in flight, cap 5\"");
        assertThat(lines.get(2)).matches("\\S+ METRIC workspace_id=casterly Function=ingest EventsIngested=1");
        assertThat(lines.get(3)).matches("\\S+ INFO   delivery attempt outcome=delivered Function=delivery AttemptLatency=41");
        assertThat(String.join("\n", lines)).doesNotContain("_aws", "CloudWatchMetrics", "{");
    }
}
