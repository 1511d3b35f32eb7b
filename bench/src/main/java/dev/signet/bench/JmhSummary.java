package dev.signet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JMH's JSON result file and prints, per benchmark and payload size, the median and range of
 * all measurement iterations (every fork), next to JMH's own mean ± 99.9 % error.
 *
 * <p>Usage (by {@code scripts/bench jmh}): {@code JmhSummary bench/target/jmh.json}.
 */
public final class JmhSummary {
    private JmhSummary() {
    }

    public static void main(String[] args) throws Exception {
        JsonNode results = Json.parse(Files.readAllBytes(Path.of(args[0])));
        System.out.printf("%-34s %8s %10s %10s %10s %16s%n", "benchmark (µs/op)", "payload", "median", "min", "max", "JMH mean ± err");
        for (JsonNode r : results) {
            String name = r.path("benchmark").asText().replaceFirst(".*\\.", "");
            String payload = r.path("params").path("payloadBytes").asText("-");
            List<Double> values = new ArrayList<>();
            for (JsonNode fork : r.path("primaryMetric").path("rawData")) {
                for (JsonNode v : fork) {
                    values.add(v.asDouble());
                }
            }
            JsonNode m = r.path("primaryMetric");
            System.out.printf("%-34s %8s %10.3f %10.3f %10.3f %9.3f ± %.3f%n", name, payload, Stats.median(values),
                    Stats.min(values), Stats.max(values), m.path("score").asDouble(), m.path("scoreError").asDouble());
        }
    }
}
