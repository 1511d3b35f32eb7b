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

    private Log() {
    }

    /** Redirects log lines (tests capture them to prove no secret is ever logged). */
    public static void redirect(PrintStream stream) {
        out = stream;
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
        String text = Json.write(line);
        PrintStream target = out;
        synchronized (target) {
            target.println(text);
        }
    }
}
