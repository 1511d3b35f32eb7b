package dev.signet.core.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The delays between attempts of one delivery: entry {@code i} is the wait after attempt {@code i + 1}
 * failed, so a schedule of n delays allows n + 1 attempts. Each delay gets ±20 % jitter so a receiver
 * recovering from an outage is not hit by every retry at once.
 */
public record RetrySchedule(List<Duration> delays) {
    public static final String DEFAULT = "5s,5m,30m,2h,5h,10h,10h";
    /** SQS cannot hide a message for longer than 12 hours (ChangeMessageVisibility). */
    public static final Duration MAX_DELAY = Duration.ofHours(12);
    static final double JITTER = 0.20;

    public RetrySchedule {
        delays = List.copyOf(delays);
        for (Duration d : delays) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("retry delays must be positive");
            }
            // d * 1.2 > 12 h, written as d > 12 h / 1.2 so that huge delays cannot overflow Duration
            if (d.compareTo(MAX_DELAY.multipliedBy(100).dividedBy(120)) > 0) {
                throw new IllegalArgumentException("retry delay " + d + " with 20 % jitter exceeds the SQS limit of 12 h");
            }
        }
    }

    /** Parses {@code "5s,5m,30m,2h"} (units s, m, h; whole numbers). */
    public static RetrySchedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("retry schedule is empty; expected e.g. \"5s,5m,30m\"");
        }
        List<Duration> delays = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.length() < 2) {
                throw new IllegalArgumentException("bad retry delay \"" + part.trim() + "\"; expected a number and s, m or h");
            }
            long n;
            try {
                n = Long.parseLong(p.substring(0, p.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad retry delay \"" + part.trim() + "\"; expected a number and s, m or h");
            }
            try {
                delays.add(switch (p.charAt(p.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new IllegalArgumentException("bad retry delay \"" + part.trim() + "\"; unit must be s, m or h");
                });
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("bad retry delay \"" + part.trim() + "\"; it is far beyond the SQS limit of 12 h");
            }
        }
        if (delays.isEmpty()) {
            // "," splits into nothing: refuse it rather than silently disabling retries
            throw new IllegalArgumentException("retry schedule \"" + text.trim() + "\" has no delays; expected e.g. \"5s,5m,30m\"");
        }
        return new RetrySchedule(delays);
    }

    public static RetrySchedule defaults() {
        return parse(DEFAULT);
    }

    public int maxAttempts() {
        return delays.size() + 1;
    }

    /** The largest delay of the schedule, without jitter. */
    public Duration longest() {
        return delays.stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * The wait after failed attempt number {@code attempt} (1-based), with jitter drawn from
     * {@code random} in [0, 1). Attempts beyond the schedule reuse its last delay.
     */
    public Duration delayAfter(int attempt, DoubleSupplier random) {
        Duration base = delays.get(Math.min(Math.max(attempt, 1), delays.size()) - 1);
        double factor = 1 + JITTER * (2 * random.getAsDouble() - 1);
        long millis = Math.round(base.toMillis() * factor);
        return Duration.ofMillis(Math.max(1000, millis));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Duration d : delays) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            long sec = d.toSeconds();
            s.append(sec % 3600 == 0 ? sec / 3600 + "h" : sec % 60 == 0 ? sec / 60 + "m" : sec + "s");
        }
        return s.toString();
    }
}
