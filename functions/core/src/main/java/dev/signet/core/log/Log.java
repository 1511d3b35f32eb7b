package dev.signet.core.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;

import java.io.PrintStream;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Structured logs: one JSON object per line on standard output (Lambda sends it to CloudWatch). Call
 * sites pass only named fields they chose, so a payload, secret or credential never ends up in a log
 * by accident; exceptions are logged by class and message, never with their cause chain's data.
 */
public final class Log {
    private static volatile PrintStream out = System.out;
    /** The invocation's request id (Lambda's aws_request_id), added to every line logged for it. */
    private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

    private Log() {
    }

    /** Redirects log lines (tests capture them to prove no secret is ever logged). */
    public static void redirect(PrintStream stream) {
        out = stream;
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
        String text = Json.write(line);
        PrintStream target = out;
        synchronized (target) {
            target.println(text);
        }
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
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        fields.accept(line);
        String requestId = REQUEST_ID.get();
        if (requestId != null && !line.has("request_id")) {
            line.put("request_id", requestId);
        }
        String text = Json.write(line);
        PrintStream target = out;
        synchronized (target) {
            target.println(text);
        }
    }
}
