package dev.signet.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/deploy.md's parameter table names exactly the parameters template.yaml declares, each with the
 * template's default, so an operator answering {@code sam deploy --guided} finds every question there.
 */
class DeployGuideListsEveryParameterTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+)` \\| ([^|]+) \\|", Pattern.MULTILINE);

    @Test
    @SuppressWarnings("unchecked")
    void everyTemplateParameterHasARowWithItsDefault() throws Exception {
        Map<String, Object> parameters = (Map<String, Object>) TemplateIsValidSamTest.load(TemplateIsValidSamTest.TEMPLATE).get("Parameters");
        String guide = Files.readString(TemplateIsValidSamTest.ROOT.resolve("docs/deploy.md"));
        String table = guide.substring(guide.indexOf("## Parameters"), guide.indexOf("## Outputs"));

        Map<String, String> rows = new java.util.HashMap<>();
        Matcher m = ROW.matcher(table);
        while (m.find()) {
            rows.put(m.group(1), m.group(2).trim());
        }
        assertThat(new TreeSet<>(rows.keySet())).isEqualTo(new TreeSet<>(parameters.keySet()));
        parameters.forEach((name, spec) -> {
            Object fallback = ((Map<String, Object>) spec).get("Default");
            String shown = rows.get(name);
            if (fallback == null || fallback.toString().isEmpty()) {
                assertThat(shown).as(name).startsWith("empty");
            } else {
                assertThat(shown).as(name).isEqualTo("`" + fallback + "`");
            }
        });
        assertThat(Set.of("AllowPrivateCidrs", "IngestRateLimit")).allSatisfy(p -> assertThat(rows).containsKey(p));
    }
}
