package dev.signet.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log lines are written by {@link Json#writeCompact} rather than Jackson's serializer (one per delivery
 * attempt): the text must read back as the same JSON value Jackson would have written, field order included.
 */
class LogLinesAreTheJsonJacksonWritesTest {

    @Test
    void everyKindOfValueReadsBackTheSame() throws Exception {
        ObjectNode line = Json.object();
        line.put("timestamp", "2026-04-17T18:22:00.123Z").put("level", "INFO").put("message", "delivery attempt");
        line.put("quote\"and\\slash", "tab\tnewline\nreturn\rbell\u0007nul\u0000 line sep\u2028 é 😀");
        line.put("int", 42).put("long", 1_796_169_597_891L).put("negative", -7).put("double", 12.5).put("tiny", 1e-9)
                .put("big", 1e300).put("nan", Double.NaN).put("float", 1.25f).put("decimal", new BigDecimal("12.340"))
                .put("bigint", new BigInteger("123456789012345678901234567890")).put("yes", true).put("no", false).putNull("status");
        line.putObject("_aws").put("Timestamp", 1L).putArray("CloudWatchMetrics").addObject().put("Namespace", "Signet")
                .putArray("Dimensions").addArray().add("Function");
        line.putArray("empty");
        line.putObject("nothing");

        String written = Json.writeCompact(line);

        assertThat(written).doesNotContain("\n").startsWith("{\"timestamp\":");
        JsonNode read = Json.parse(written);
        assertThat(read).isEqualTo(Json.parse(Json.write(line)));
        assertThat(fieldNames(read)).isEqualTo(fieldNames(Json.parse(Json.write(line))));
    }

    private static String fieldNames(JsonNode node) {
        StringBuilder names = new StringBuilder();
        node.fieldNames().forEachRemaining(n -> names.append(n).append(','));
        return names.toString();
    }
}
