package dev.signet.core.log;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;

import java.time.Instant;

/**
 * CloudWatch metrics as Embedded Metric Format lines, written through the one log output (CloudWatch
 * Logs turns them into metrics; no PutMetricData call, no agent). Namespace {@value #NAMESPACE}, one
 * dimension, {@code Function} (ingest, delivery, management). Cardinality is bounded by design: a
 * workspace or endpoint id is never a dimension (thousands of customers would be thousands of metrics
 * each); it rides along as a plain property, so Logs Insights can still break a metric down by them.
 *
 * <pre>{@code
 * Metrics.emit("delivery", f -> f.put("workspace_id", ws),
 *         Metrics.count("DeliveriesSucceeded", 1), Metrics.millis("AttemptLatency", 42));
 * }</pre>
 */
public final class Metrics {
    public static final String NAMESPACE = "Signet";

    /** One metric value and its CloudWatch unit. */
    public record Value(String name, double value, String unit) {
    }

    private Metrics() {
    }

    public static Value count(String name, double n) {
        return new Value(name, n, "Count");
    }

    public static Value millis(String name, double ms) {
        return new Value(name, ms, "Milliseconds");
    }

    /**
     * Writes one EMF line.
     *
     * @param function   the {@code Function} dimension
     * @param properties extra non-dimension fields (ids; never a secret, credential or payload)
     */
    public static void emit(String function, java.util.function.Consumer<ObjectNode> properties, Value... values) {
        ObjectNode line = Json.object();
        properties.accept(line);
        embed(line, function, values);
        Log.line(line);
    }

    /**
     * Makes a log line also an EMF record of {@code values}: CloudWatch extracts the metrics from it
     * and keeps the rest of its fields as properties. One line instead of two for the same event.
     */
    public static void embed(ObjectNode line, String function, Value... values) {
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", Instant.now().toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Function");
        ArrayNode metrics = directive.putArray("Metrics");
        line.put("Function", function);
        for (Value v : values) {
            metrics.addObject().put("Name", v.name()).put("Unit", v.unit());
            if (v.value() == Math.rint(v.value()) && Math.abs(v.value()) < 1e15) {
                line.put(v.name(), (long) v.value()); // 1, not 1.0
            } else {
                line.put(v.name(), v.value());
            }
        }
    }
}
