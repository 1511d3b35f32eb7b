package dev.signet.core.event;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: whatever the body, the ingest parser answers with an event, a 400 ({@link InvalidInputException})
 * or a 413 ({@link PayloadTooLargeException}) — never another exception (a 500), a stack overflow or a hang.
 * Inputs: random bytes, random text, near-valid events with hostile field values, and deep nesting.
 */
class HostileIngestBodiesAreRejectedCleanlyTest {
    private static final long BUDGET_MS = 2_000;

    @Property(tries = 300)
    void randomBytes(@ForAll("bytes") byte[] body) {
        parseCleanly(body);
    }

    @Property(tries = 300)
    void nearValidEvents(@ForAll("events") String body) {
        parseCleanly(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 100)
    void deepNesting(@ForAll("nesting") String body) {
        parseCleanly(body.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(512),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE-+ntrufals\\ \u0000\u00e9").ofMaxLength(300)
                        .map(s -> s.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> events() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(300).map(HostileIngestBodiesAreRejectedCleanlyTest::quoted),
                Arbitraries.of("null", "true", "1e999999999", "-0", "123456789012345678901234567890", "[]", "{}",
                        "\"\\ud800\"", "\"\\u0000\"", "{\"a\":", "[1,", "\"x".repeat(3), "NaN", "0x10"),
                Arbitraries.strings().alpha().ofMinLength(200).ofMaxLength(400).map(HostileIngestBodiesAreRejectedCleanlyTest::quoted));
        Arbitrary<String> key = Arbitraries.of("event", "payload", "resource", "resource_id", "events", "extra", "", "event\u0000");
        Arbitrary<String> field = Combinators.combine(key, value).as((k, v) -> quoted(k) + ":" + v);
        Arbitrary<String> single = field.list().ofMaxSize(6).map(fs -> "{" + String.join(",", fs) + "}");
        return Arbitraries.oneOf(single,
                single.list().ofMaxSize(120).map(items -> "{\"events\":[" + String.join(",", items) + "]}"),
                single.map(s -> s + "{}"));
    }

    @Provide
    Arbitrary<String> nesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 20_000), Arbitraries.of("[", "{\"a\":"), Arbitraries.of("event", "payload", "events"))
                .as((depth, open, where) -> "{\"event\":\"a\",\"" + where + "\":" + open.repeat(depth));
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static void parseCleanly(byte[] body) {
        for (boolean batch : List.of(false, true)) {
            long started = System.nanoTime();
            try {
                Object result = batch ? EventInputParser.parseBatch(body) : EventInputParser.parseOne(body);
                assertThat(result).isNotNull();
            } catch (InvalidInputException | PayloadTooLargeException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
            assertThat((System.nanoTime() - started) / 1_000_000).as("parse time").isLessThan(BUDGET_MS);
        }
    }
}
