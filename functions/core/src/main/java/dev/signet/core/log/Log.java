package dev.signet.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Structured logs: one JSON object per line on standard output (Lambda sends it to CloudWatch). Call
 * sites pass only named fields they chose, so a payload, secret or credential never ends up in a log
 * by accident; exceptions are logged by class and message, never with their cause chain's data.
 *
 * <p>JSON is what every function writes in AWS. Local mode on a terminal switches to {@link Format#TEXT}
 * (one readable line per record, the same fields); nothing else ever changes the format.
 */
public final class Log {
    /** How a record is written: one JSON object per line, or one line for a person to read. */
    public enum Format { JSON, TEXT }

    /** Fields the text form leaves out: shown another way (time, level, message) or meant for CloudWatch. */
    private static final Set<String> NOT_IN_TEXT = Set.of("timestamp", "level", "message", "_aws");
    private static final Pattern BARE_VALUE = Pattern.compile("[^\\s\"]+");
    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private static volatile PrintStream out = System.out;
    private static volatile Format format = Format.JSON;
    /** The invocation's request id (Lambda's aws_request_id), added to every line logged for it. */
    private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

    private Log() {
    }

    /** Redirects log lines (tests capture them to prove no secret is ever logged). */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    /** Chooses how records are written from now on; {@link Format#JSON} unless local mode says otherwise. */
    public static void useFormat(Format chosen) {
        format = chosen;
    }

    /** Runs {@code work} with every line it logs on this thread carrying {@code request_id}. */
    public static <T> T inRequest(String requestId, java.util.function.Supplier<T> work) {
        String before = REQUEST_ID.get();
        REQUEST_ID.set(requestId);
        try {
            return work.get();
        } finally {
            REQUEST_ID.set(before);
        }
    }

    /** Writes a prepared JSON line as is (the metrics' EMF lines): one output for every line. */
    public static void line(ObjectNode line) {
        print(line);
    }

    public static void info(String message, Consumer<ObjectNode> fields) {
        write("INFO", message, fields);
    }

    public static void warn(String message, Consumer<ObjectNode> fields) {
        write("WARN", message, fields);
    }

    public static void error(String message, Throwable error, Consumer<ObjectNode> fields) {
        write("ERROR", message, n -> {
            fields.accept(n);
            n.put("error_type", error.getClass().getName());
        });
    }

    private static void write(String level, String message, Consumer<ObjectNode> fields) {
        ObjectNode line = Json.object();
        line.put("timestamp", Timestamps.iso(Instant.now()));
        line.put("level", level);
        line.put("message", message);
        fields.accept(line);
        String requestId = REQUEST_ID.get();
        if (requestId != null && !line.has("request_id")) {
            line.put("request_id", requestId);
        }
        print(line);
    }

    private static void print(ObjectNode line) {
        String text = format == Format.TEXT ? text(line) : Json.writeCompact(line);
        PrintStream target = out;
        synchronized (target) {
            target.println(text);
        }
    }

    /**
     * {@code 18:22:00.123 INFO  api request method=POST path=/v1/events status=202}: local time, level,
     * message, then every other field as name=value (quoted when it holds a space or a quote).
     * A metrics-only line (no level) shows as METRIC with its values.
     */
    static String text(ObjectNode line) {
        StringBuilder s = new StringBuilder(160);
        JsonNode timestamp = line.get("timestamp");
        Instant at = timestamp == null ? Instant.now() : Instant.parse(timestamp.asText());
        String level = line.path("level").asText("METRIC");
        s.append(TEXT_TIME.format(at)).append(' ').append(level).append(" ".repeat(Math.max(1, 7 - level.length())));
        if (line.hasNonNull("message")) {
            s.append(line.get("message").asText());
        }
        for (Map.Entry<String, JsonNode> field : line.properties()) {
            if (NOT_IN_TEXT.contains(field.getKey())) {
                continue;
            }
            JsonNode v = field.getValue();
            String value = v.isValueNode() ? v.asText() : Json.write(v);
            if (s.charAt(s.length() - 1) != ' ') {
                s.append(' ');
            }
            s.append(field.getKey()).append('=');
            if (v.isTextual() && !BARE_VALUE.matcher(value).matches()) {
                Json.appendString(s, value);
            } else {
                s.append(value);
            }
        }
        return s.toString();
    }
}
