package dev.signet.it;

import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java and Node snippets of README.md's "Emit events from your backend", run as a reader pastes
 * them, with the two variables local mode prints, against a running stack: each creates its
 * workspace, opens a portal session, emits an event with its Idempotency-Key and reads the log.
 * The test only wraps them (a class with the clients' imports; an ES module) and prints the emitted
 * event's id, then reads that event back through the API.
 */
class ReadmeClientSnippetsRunAsWrittenTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");
    private static final Pattern EMITTED = Pattern.compile("(?m)^emitted (evt_\\w+)$");

    @Test
    void theJavaSnippetEmitsAnEvent(@TempDir Path dir) throws Exception {
        String snippet = snippet("java");
        Files.writeString(dir.resolve("Snippet.java"), """
                import dev.signet.client.*;
                import java.time.Duration;
                import java.util.Map;

                public class Snippet {
                    public static void main(String[] args) throws Exception {
                %s
                        System.out.println("emitted " + sent.id());
                    }
                }
                """.formatted(snippet));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The source launcher, with this test's class path: the Java client and Jackson, as a backend has them.
        Node.Run run = Node.run(dir, env(), Duration.ofMinutes(2), java, "-cp", System.getProperty("java.class.path"), "Snippet.java");

        assertThat(run.exitCode()).as("the README's Java snippet:\n%s\n%s", snippet, run.output()).isZero();
        emittedEventIsStored(run.output());
        deleteWorkspace(); // the Node snippet creates the same workspace
    }

    @Test
    void theNodeSnippetEmitsAnEvent(@TempDir Path dir) throws Exception {
        Path client = Node.repository().resolve("clients/typescript");
        Node.install(client);
        Node.Run build = Node.run(client, Map.of(), Duration.ofMinutes(2), "npm", "run", "build");
        assertThat(build.exitCode()).as("npm run build (tsc):\n%s", build.output()).isZero();
        // As `npm install <the packed client>` would leave it: the package under its name in node_modules.
        Files.createDirectories(dir.resolve("node_modules/@signet"));
        Files.createSymbolicLink(dir.resolve("node_modules/@signet/client"), client);
        String snippet = snippet("js");
        Files.writeString(dir.resolve("snippet.mjs"), snippet + "console.log(\"emitted \" + sent.id);\n");

        deleteWorkspace(); // in case the Java snippet ran first and its test stopped before deleting it
        Node.Run run = Node.run(dir, env(), Duration.ofMinutes(2), "node", "snippet.mjs");

        assertThat(run.exitCode()).as("the README's Node snippet:\n%s\n%s", snippet, run.output()).isZero();
        emittedEventIsStored(run.output());
        deleteWorkspace();
    }

    /** The first fenced block in {@code language} of the section on emitting from a backend. */
    private static String snippet(String language) throws Exception {
        String readme = Files.readString(Node.repository().resolve("README.md"));
        int section = readme.indexOf("## Emit events from your backend");
        assertThat(section).as("README.md has the section").isNotNegative();
        String fence = "```" + language + "\n";
        int start = readme.indexOf(fence, section);
        int next = readme.indexOf("\n## ", section + 1);
        assertThat(start).as("a %s block in the section", language).isBetween(section, next);
        int end = readme.indexOf("\n```", start + fence.length());
        return readme.substring(start + fence.length(), end + 1);
    }

    private static Map<String, String> env() {
        return Map.of("SIGNET_API_URL", signet.stack().baseUrl().toString(), "SIGNET_ADMIN_KEY", signet.adminKey());
    }

    private static void emittedEventIsStored(String output) {
        Matcher m = EMITTED.matcher(output);
        assertThat(m.find()).as("the snippet emitted an event:\n%s", output).isTrue();
        ApiClient.Reply event = signet.api().get("/v1/workspaces/highgarden/events/" + m.group(1), signet.adminKey());
        assertThat(event.status()).as(event.body()).isEqualTo(200);
        assertThat(event.text("event")).isEqualTo("order.completed");
        assertThat(event.body()).contains("ord_tyrell_12");
    }

    private static void deleteWorkspace() {
        int status = signet.api().delete("/v1/workspaces/highgarden", signet.adminKey()).status();
        assertThat(status).as("deleting the snippets' workspace").isIn(204, 404);
    }
}
