package dev.signet.core.json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How every instant is written where a user reads it (API responses, the delivered envelope, the
 * portal URL): ISO-8601 UTC in whole seconds, {@code 2026-04-17T18:22:00Z}. Stored instants keep their
 * full precision; only what is shown is cut, so two places never show one instant two ways.
 */
public final class Timestamps {
    private Timestamps() {
    }

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** {@link #format} or null, for optional instants such as {@code next_attempt_at}. */
    public static String formatOrNull(Instant instant) {
        return instant == null ? null : format(instant);
    }
}
