package dev.signet.core.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ingest bodies are UTF-8 (a leading UTF-8 byte order mark is tolerated). UTF-16 and UTF-32, with
 * or without a byte order mark, and bytes that are not valid UTF-8 are a 400 that names the body,
 * never a 500, and never a payload silently changed by a lenient decoding.
 */
class IngestBodiesMustBeUtf8Test {
    private static final String EVENT = "{\"event\":\"order.completed\",\"payload\":{\"customer\":\"Ned Stark\",\"note\":\"caf\u00e9 \ud83d\udc3a\"}}";
    private static final String BATCH = "{\"events\":[" + EVENT + "]}";
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    static Stream<Arguments> otherEncodings() {
        return Stream.of(
                Arguments.of("UTF-16LE", encoded(StandardCharsets.UTF_16LE, "")),
                Arguments.of("UTF-16LE", encoded(StandardCharsets.UTF_16LE, "FFFE")),
                Arguments.of("UTF-16BE", encoded(StandardCharsets.UTF_16BE, "")),
                Arguments.of("UTF-16BE", encoded(StandardCharsets.UTF_16BE, "FEFF")),
                Arguments.of("UTF-32LE", encoded(UTF_32LE, "")),
                Arguments.of("UTF-32LE", encoded(UTF_32LE, "FFFE0000")),
                Arguments.of("UTF-32BE", encoded(UTF_32BE, "")),
                Arguments.of("UTF-32BE", encoded(UTF_32BE, "0000FEFF")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherEncodings")
    void utf16AndUtf32AreRejectedNamingTheEncoding(String encoding, Function<String, byte[]> encode) {
        for (Runnable parse : List.<Runnable>of(() -> EventInputParser.parseOne(encode.apply(EVENT)),
                () -> EventInputParser.parseBatch(encode.apply(BATCH)))) {
            assertThatThrownBy(parse::run).isInstanceOfSatisfying(InvalidInputException.class, e -> {
                assertThat(e.getMessage()).startsWith("body must be JSON encoded as UTF-8").contains("it is " + encoding);
                assertThat(e.field()).isNull();
            });
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRejectedWithTheirPosition() {
        String[] hostile = {
                "FF",          // never valid in UTF-8
                "C0AF",        // overlong encoding of '/'
                "80",          // continuation byte without a lead
                "EDA080",      // an encoded UTF-16 surrogate
                "F4908080",    // beyond U+10FFFF
                "E282",        // truncated three-byte sequence
        };
        for (String hex : hostile) {
            byte[] bad = HexFormat.of().parseHex(hex);
            // Inside the payload, where a skipping parser would not look at the bytes at all.
            byte[] body = concat("{\"event\":\"a\",\"payload\":{\"x\":\"".getBytes(StandardCharsets.UTF_8), bad, "\"}}".getBytes(StandardCharsets.UTF_8));
            int at = "{\"event\":\"a\",\"payload\":{\"x\":\"".length();
            for (Runnable parse : List.<Runnable>of(() -> EventInputParser.parseOne(body), () -> EventInputParser.parseBatch(body))) {
                assertThatThrownBy(parse::run).as(hex).isInstanceOfSatisfying(InvalidInputException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("body is not valid UTF-8 (at byte " + at + "); send JSON encoded as UTF-8"));
            }
        }
    }

    @Test
    void aLeadingUtf8ByteOrderMarkIsToleratedAndThePayloadKeepsItsBytes() {
        byte[] bom = HexFormat.of().parseHex("EFBBBF");

        EventInput one = EventInputParser.parseOne(concat(bom, EVENT.getBytes(StandardCharsets.UTF_8)));
        List<BatchItem> batch = EventInputParser.parseBatch(concat(bom, BATCH.getBytes(StandardCharsets.UTF_8)));

        String payload = "{\"customer\":\"Ned Stark\",\"note\":\"caf\u00e9 \ud83d\udc3a\"}";
        assertThat(one.payload()).isEqualTo(payload);
        assertThat(batch).singleElement().isInstanceOfSatisfying(BatchItem.Valid.class, v -> assertThat(v.event().payload()).isEqualTo(payload));
    }

    @Test
    void positionsInJsonErrorsCountTheByteOrderMark() {
        String broken = "{\"event\":}";
        String withoutBom = messageOf(broken.getBytes(StandardCharsets.UTF_8));
        String withBom = messageOf(concat(HexFormat.of().parseHex("EFBBBF"), broken.getBytes(StandardCharsets.UTF_8)));

        assertThat(withoutBom).isEqualTo("body is not valid JSON (at byte 9)");
        assertThat(withBom).isEqualTo("body is not valid JSON (at byte 12)");
    }

    @Test
    void aByteOrderMarkAloneIsAnEmptyBody() {
        assertThat(messageOf(HexFormat.of().parseHex("EFBBBF"))).startsWith("body is empty");
    }

    private static String messageOf(byte[] body) {
        try {
            EventInputParser.parseOne(body);
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }

    private static Function<String, byte[]> encoded(Charset charset, String bomHex) {
        return text -> concat(HexFormat.of().parseHex(bomHex), text.getBytes(charset));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
