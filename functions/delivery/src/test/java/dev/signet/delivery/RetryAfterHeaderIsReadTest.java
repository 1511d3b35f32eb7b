package dev.signet.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** README, "What a delivery looks like": "Retry-After on 429/503 is honoured": both forms of the header are understood, nonsense is ignored. */
class RetryAfterHeaderIsReadTest {

    @Test
    void delaySecondsAreRead() {
        assertThat(RetryAfter.parse("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse(" 30 ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("86400")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void anHttpDateInTheFutureIsTheTimeUntilThen() {
        ZonedDateTime then = ZonedDateTime.now(ZoneOffset.UTC).plusHours(2).withNano(0);
        String header = DateTimeFormatter.RFC_1123_DATE_TIME.format(then);

        Duration d = RetryAfter.parse(header);

        assertThat(d).isBetween(Duration.ofHours(2).minusMinutes(1), Duration.ofHours(2));
    }

    @Test
    void theImfFixdateFormWithATwoDigitDayIsRead() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ZonedDateTime then = now.plusYears(1).withDayOfMonth(5).withNano(0);
        String header = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.ENGLISH).format(then);

        assertThat(header).contains(", 05 ");
        assertThat(RetryAfter.parse(header)).isBetween(Duration.between(now, then).minusMinutes(1), Duration.between(now, then));
    }

    @Test
    void anHttpDateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "-3600", "soon", "1.5", "120s", "2 minutes", "0x10", "Wed, 32 Oct 2015 07:28:00 GMT",
            "2015-10-21T07:28:00Z", "99999999999999999999999", "", "   "})
    void nonsenseIsIgnored(String value) {
        assertThat(RetryAfter.parse(value)).isNull();
    }

    @Test
    void aMissingHeaderIsIgnored() {
        assertThat(RetryAfter.parse(null)).isNull();
    }
}
