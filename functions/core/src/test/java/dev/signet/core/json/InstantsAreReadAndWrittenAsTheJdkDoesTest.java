package dev.signet.core.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Queue messages and log lines carry instants as {@link Instant#toString} writes them; {@link Timestamps}
 * reads and writes them without a formatter, and must agree with the JDK on every instant and every text.
 */
class InstantsAreReadAndWrittenAsTheJdkDoesTest {
    private static final long YEAR_10000 = 253_402_300_800L;

    @Test
    void everyInstantIsWrittenAndReadBackExactly() {
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-YEAR_10000, 2 * YEAR_10000);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nano);
            String text = Timestamps.iso(instant);
            assertThat(text).isEqualTo(instant.toString());
            assertThat(Timestamps.parse(text)).isEqualTo(instant);
        }
    }

    @Test
    void wholeSecondsAreShownAsTheyWere() {
        Instant instant = Instant.parse("2026-04-17T18:22:00.987654321Z");
        assertThat(Timestamps.format(instant)).isEqualTo("2026-04-17T18:22:00Z");
        assertThat(Timestamps.formatOrNull(null)).isNull();
    }

    @Test
    void textsTheJdkAcceptsReadTheSame() {
        for (String text : List.of("2026-04-17T18:22:00Z", "2026-04-17T18:22:00.1Z", "2026-04-17T18:22:00.12Z",
                "2026-04-17T18:22:00.1234Z", "2026-04-17T18:22:00.123456789Z", "2024-02-29T23:59:59Z", "0000-01-01T00:00:00Z",
                "2026-04-17t18:22:00z", "2026-04-17T18:22:00+02:00", "2026-04-17T24:00:00Z", "+12026-04-17T18:22:00Z",
                "2026-12-31T23:59:60Z", "2026-04-17T18:22:00.Z")) {
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void textsTheJdkRefusesAreRefused() {
        for (String text : List.of("2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-04-17T25:00:00Z",
                "2026-04-17T18:60:00Z", "2026-04-17T18:22:00.1234567890Z", "2026-0a-17T18:22:00Z",
                "2026-04-17 18:22:00Z", "2026-04-17T18:22:00", "")) {
            assertThatThrownBy(() -> Instant.parse(text)).as("the JDK refuses " + text).isInstanceOf(DateTimeParseException.class);
            assertThatThrownBy(() -> Timestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
