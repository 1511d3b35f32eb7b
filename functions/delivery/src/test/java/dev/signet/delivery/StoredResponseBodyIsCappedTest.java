package dev.signet.delivery;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * openapi.yaml, the delivery log: the delivery log keeps "response_body (first 4 KiB)"; the cut never splits a UTF-8
 * character, so what is stored is always valid text and a prefix of what the receiver sent.
 */
class StoredResponseBodyIsCappedTest {
    private static final int LIMIT = 4096;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertValidPrefix(String snippet, String original) {
        assertThat(utf8(snippet).length).isLessThanOrEqualTo(LIMIT);
        assertThat(original).startsWith(snippet);
        assertThat(snippet).doesNotContain("\uFFFD");
    }

    @Test
    void aShortBodyIsKeptWhole() {
        assertThat(DeliveryWorker.snippet(utf8("{\"ok\":true}"))).isEqualTo("{\"ok\":true}");
    }

    @Test
    void noBodyIsStoredAsNull() {
        assertThat(DeliveryWorker.snippet(null)).isNull();
        assertThat(DeliveryWorker.snippet(new byte[0])).isNull();
    }

    @Test
    void aBodyOfExactly4KiBIsKeptWhole() {
        String body = "x".repeat(LIMIT);

        assertThat(DeliveryWorker.snippet(utf8(body))).isEqualTo(body);
    }

    @Test
    void aLongerAsciiBodyIsCutAt4KiB() {
        String body = "y".repeat(LIMIT) + "z".repeat(100);

        assertThat(DeliveryWorker.snippet(utf8(body))).isEqualTo("y".repeat(LIMIT));
    }

    @Test
    void aTwoByteCharacterAcrossTheLimitIsLeftOutWhole() {
        String body = "a".repeat(LIMIT - 1) + "é" + "tail";

        String snippet = DeliveryWorker.snippet(utf8(body));

        assertThat(snippet).isEqualTo("a".repeat(LIMIT - 1));
        assertValidPrefix(snippet, body);
    }

    @Test
    void aFourByteCharacterAcrossTheLimitIsLeftOutWholeAtEveryOffset() {
        for (int before = LIMIT - 4; before <= LIMIT; before++) {
            String body = "b".repeat(before) + "😀" + "after";

            String snippet = DeliveryWorker.snippet(utf8(body));

            assertValidPrefix(snippet, body);
            int expected = before + 4 <= LIMIT ? before + 2 : before; // the emoji is two chars in Java
            assertThat(snippet).as("with %d bytes before the emoji", before).hasSize(expected);
        }
    }

    @Test
    void aBodyOfOnlyMultiByteCharactersIsCutOnACharacterBoundary() {
        String body = "日本語".repeat(2000); // 3 bytes each, 18000 bytes

        String snippet = DeliveryWorker.snippet(utf8(body));

        assertValidPrefix(snippet, body);
        assertThat(utf8(snippet).length).isEqualTo(4095); // 1365 whole characters
    }

    @Test
    void mixedWidthsAlwaysGiveTheLongestValidPrefix() {
        String unit = "aé日😀"; // 1 + 2 + 3 + 4 bytes
        for (int shift = 0; shift < 10; shift++) {
            String body = "p".repeat(shift) + unit.repeat(1000);

            String snippet = DeliveryWorker.snippet(utf8(body));

            assertValidPrefix(snippet, body);
            String next = body.substring(snippet.length(), body.offsetByCodePoints(snippet.length(), 1));
            assertThat(utf8(snippet).length + utf8(next).length).as("shift %d", shift).isGreaterThan(LIMIT);
        }
    }
}
