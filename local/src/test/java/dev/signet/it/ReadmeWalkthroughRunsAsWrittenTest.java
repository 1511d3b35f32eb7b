package dev.signet.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer can copy README.md's commands in order and get what it shows: every block marked
 * {@code <!-- walkthrough -->} runs, in README order, in one bash (with -e and pipefail, stricter than
 * an interactive shell) after the export lines {@code scripts/local --demo} printed, against that
 * running local mode; each block finishes, and the HTTP statuses it prints are the ones its comments
 * document ({@code # {…} 201}, {@code # 204}).
 */
class ReadmeWalkthroughRunsAsWrittenTest {
    private static final Pattern BLOCK = Pattern.compile("<!-- walkthrough -->\\n```sh\\n(.*?)\\n```", Pattern.DOTALL);
    /** A documented answer: a comment line that is a JSON body and a status, or a status alone. */
    private static final Pattern DOCUMENTED = Pattern.compile("^# (?:[{\\[].*[}\\]] )?(\\d{3})$");
    /** An answer as {@code call} prints it: the body, a space, the status. */
    private static final Pattern PRINTED = Pattern.compile("(?:^|\\s)(\\d{3})$");

    @RegisterExtension
    static final LocalModeDemo demo = new LocalModeDemo(Map.of());

    @Test
    void everyWalkthroughBlockRunsInOrderAndAnswersAsDocumented() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(Node.repository().resolve("README.md")));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertThat(blocks).as("README.md's walkthrough blocks").hasSizeGreaterThanOrEqualTo(10);

        StringBuilder script = new StringBuilder(demo.exportBlock()).append('\n');
        for (int i = 0; i < blocks.size(); i++) {
            script.append("printf '\\n::begin ").append(i).append("\\n'\n").append(blocks.get(i))
                    .append("\nprintf '\\n::end ").append(i).append("\\n'\n");
        }
        Path file = Files.createTempFile("signet-readme-walkthrough", ".sh");
        try {
            Files.writeString(file, script);
            Node.Run run = Node.run(Node.repository(), Map.of(), Duration.ofMinutes(2), "bash", "-eo", "pipefail", file.toString());
            String output = run.output();
            for (int i = 0; i < blocks.size(); i++) {
                int begin = output.indexOf("::begin " + i + "\n");
                int end = output.indexOf("::end " + i + "\n");
                assertThat(end).as("block %d ran to its end; it was:%n%s%noutput:%n%s", i, blocks.get(i), output).isPositive();
                assertThat(statuses(output.substring(begin, end), PRINTED)).as("statuses block %d printed:%n%s", i,
                        output.substring(begin, end)).isEqualTo(statuses(blocks.get(i), DOCUMENTED));
            }
            assertThat(run.exitCode()).as(output).isZero();
        } finally {
            Files.deleteIfExists(file);
        }
        // The walkthrough cleans up after itself, so it can be run again.
        assertThat(demo.signet().stack().api().get("/v1/workspaces/riverrun", demo.signet().stack().adminKey()).status())
                .isEqualTo(404);
    }

    private static List<String> statuses(String text, Pattern pattern) {
        List<String> found = new ArrayList<>();
        for (String line : text.lines().toList()) {
            Matcher m = pattern.matcher(line.strip().isEmpty() ? "" : line.stripTrailing());
            if (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }
}
