package dev.signet.core.retry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** README, "What a delivery looks like"; README, local mode: the schedule an operator writes (SIGNET_RETRY_SCHEDULE) is read exactly, or refused clearly. */
class RetryScheduleParsesConfiguredDelaysTest {

    @Test
    void theDefaultScheduleIsTheContractOneWithEightAttempts() {
        RetrySchedule schedule = RetrySchedule.parse("5s,5m,30m,2h,5h,10h,10h");

        assertThat(schedule.delays()).containsExactly(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
        assertThat(schedule.maxAttempts()).isEqualTo(8);
        assertThat(RetrySchedule.defaults()).isEqualTo(schedule);
        assertThat(schedule.longest()).isEqualTo(Duration.ofHours(10));
    }

    @Test
    void theDefaultScheduleSpansAbout27AndAHalfHours() {
        Duration total = RetrySchedule.defaults().delays().stream().reduce(Duration.ZERO, Duration::plus);

        assertThat(total).isEqualTo(Duration.ofHours(27).plusMinutes(35).plusSeconds(5));
    }

    @Test
    void formattingGivesBackTheTextThatWasParsed() {
        for (String text : List.of("5s,5m,30m,2h,5h,10h,10h", "1s,2s,5s", "90s,61m,3h", "7m")) {
            assertThat(RetrySchedule.parse(text).toString()).isEqualTo(text);
        }
    }

    @Test
    void formattingUsesTheLargestWholeUnit() {
        assertThat(RetrySchedule.parse("120s,3600s,60m").toString()).isEqualTo("2m,1h,1h");
    }

    @Test
    void unitsAreCaseInsensitiveAndSpacesAroundEntriesAreIgnored() {
        assertThat(RetrySchedule.parse(" 1S , 2M,3h ").delays())
                .containsExactly(Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofHours(3));
    }

    @Test
    void aDemoScheduleAllowsOneAttemptMoreThanItHasDelays() {
        assertThat(RetrySchedule.parse("1s,2s,5s").maxAttempts()).isEqualTo(4);
        assertThat(RetrySchedule.parse("1s").maxAttempts()).isEqualTo(2);
    }

    @Test
    void anEmptyScheduleIsRefused() {
        for (String text : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> RetrySchedule.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("retry schedule is empty");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {",", ",,", " , "})
    void aScheduleOfOnlyCommasIsRefused(String text) {
        assertThatThrownBy(() -> RetrySchedule.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retry")
                .hasMessageContaining("expected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "s", "5x", "5.5s", "1h30m", "five", "5 s", "5s,,5m", "5s;5m", "0x10s"})
    void aMalformedDelayIsRefusedNamingIt(String text) {
        assertThatThrownBy(() -> RetrySchedule.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad retry delay")
                .hasMessageContaining("s, m or h");
    }

    @Test
    void theMessageQuotesTheOffendingEntry() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s,7d,30m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"7d\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-5s", "5s,0m", "-1h"})
    void zeroOrNegativeDelaysAreRefused(String text) {
        assertThatThrownBy(() -> RetrySchedule.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"11h", "5s,13h", "721m", "43200s", "24h"})
    void delaysThatCouldExceedTheSqsTwelveHourLimitAreRefusedAtParseTime(String text) {
        assertThatThrownBy(() -> RetrySchedule.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12 h");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10h", "600m", "36000s"})
    void tenHoursIsTheLongestDelayWhoseJitterStaysUnderTwelveHours(String text) {
        assertThat(RetrySchedule.parse(text).longest()).isEqualTo(Duration.ofHours(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999s", "9999999999999999m", "999999999999999h", "9999999999999999h", "99999999999999999999s"})
    void absurdlyLargeDelaysAreRefusedWithAClearMessage(String text) {
        assertThatThrownBy(() -> RetrySchedule.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retry delay");
    }

    @Test
    void theSqsCapAlsoHoldsForSchedulesBuiltInCode() {
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofHours(11))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12 h");
    }
}
