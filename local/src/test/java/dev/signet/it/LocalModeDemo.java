package dev.signet.it;

import dev.signet.local.LocalSignet;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/local --demo} in this JVM for a test class, on a free port and the shared emulators,
 * with what it printed kept for the test to read, as a newcomer reads the terminal:
 * {@code @RegisterExtension static final LocalModeDemo demo = new LocalModeDemo(Map.of());}
 */
final class LocalModeDemo implements BeforeAllCallback, AfterAllCallback {
    private static final Pattern EXPORT = Pattern.compile("^  export ([A-Z_]+)=(\\S+)$");

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Map<String, String> env;
    private LocalSignet signet;

    /** @param env the environment local mode reads (SIGNET_* settings) */
    LocalModeDemo(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        signet = LocalSignet.start(new String[] {"--demo", "--port", "0"}, env, out,
                "signet-local-" + UUID.randomUUID().toString().substring(0, 8));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (signet != null) {
            signet.close();
        }
    }

    LocalSignet signet() {
        return signet;
    }

    String output() {
        synchronized (printed) {
            return printed.toString(StandardCharsets.UTF_8);
        }
    }

    List<String> lines() {
        return output().lines().toList();
    }

    /** The {@code export NAME=value} lines as printed, in order (values as the shell would read them, unquoted ones only). */
    Map<String, String> exports() {
        Map<String, String> exports = new LinkedHashMap<>();
        for (String line : lines()) {
            Matcher m = EXPORT.matcher(line);
            if (m.matches()) {
                exports.put(m.group(1), m.group(2));
            }
        }
        return exports;
    }

    /** The export lines exactly as printed, ready to paste into a shell. */
    String exportBlock() {
        return String.join("\n", lines().stream().filter(l -> l.startsWith("  export ")).toList());
    }
}
