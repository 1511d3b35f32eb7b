package dev.signet.core.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * How every instant is written where a user reads it (API responses, the delivered envelope, the
 * portal URL): ISO-8601 UTC in whole seconds, {@code 2026-04-17T18:22:00Z}. Stored instants keep their
 * full precision; only what is shown is cut, so two places never show one instant two ways.
 *
 * <p>{@link #parse} and {@link #iso} read and write the instants of queue messages and log lines
 * exactly as {@link Instant#parse} and {@link Instant#toString} do, without a {@code DateTimeFormatter}:
 * every delivery reads two and writes one, and the formatter was a tenth of the delivery core's own CPU
 * (BENCHMARKS.md, "Delivery throughput").
 */
public final class Timestamps {
    private static final long SECONDS_PER_DAY = 86_400;
    /** 10000-01-01T00:00:00Z: from there on {@link Instant#toString} adds a sign, which the short path does not write. */
    private static final long YEAR_10000 = 253_402_300_800L;

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return iso(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** {@link #format} or null, for optional instants such as {@code next_attempt_at}. */
    public static String formatOrNull(Instant instant) {
        return instant == null ? null : format(instant);
    }

    /** What {@link Instant#toString} returns: fractions of a second in groups of three digits, none when whole. */
    public static String iso(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < 0 || seconds >= YEAR_10000) {
            return instant.toString();
        }
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        char[] out = new char[30];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        int n = 19;
        int nano = instant.getNano();
        if (nano != 0) {
            out[n++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(out, n, nano / 1_000_000, 3);
                n += 3;
            } else if (nano % 1_000 == 0) {
                digits(out, n, nano / 1_000, 6);
                n += 6;
            } else {
                digits(out, n, nano, 9);
                n += 9;
            }
        }
        out[n++] = 'Z';
        return new String(out, 0, n);
    }

    /**
     * What {@link Instant#parse} returns for {@code text}, and the same exception when it cannot: the
     * form this class and {@link Instant#toString} write ({@code yyyy-MM-ddTHH:mm:ss}, 0 to 9 digits of
     * fraction, {@code Z}) is read directly; anything else is left to {@link Instant#parse}.
     */
    public static Instant parse(CharSequence text) {
        int length = text.length();
        if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Instant.parse(text);
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        int nano = 0;
        if (length > 20) {
            int fraction = length - 21;
            if (text.charAt(19) != '.' || fraction == 0) {
                return Instant.parse(text);
            }
            nano = digits(text, 20, fraction);
            for (int i = fraction; i < 9 && nano >= 0; i++) {
                nano *= 10;
            }
        }
        // 24:00 and leap seconds are Instant.parse's own business, as is every malformed digit (-1).
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || nano < 0) {
            return Instant.parse(text);
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            throw new DateTimeParseException("Text '" + text + "' could not be parsed: " + e.getMessage(), text, 0, e);
        }
        return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nano);
    }

    /** The decimal number in {@code count} characters from {@code from}, or -1 if one is not a digit. */
    private static int digits(CharSequence text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void digits(char[] out, int from, int value, int count) {
        for (int i = from + count - 1; i >= from; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
