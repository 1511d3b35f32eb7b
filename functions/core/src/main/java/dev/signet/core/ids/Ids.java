package dev.signet.core.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;

/**
 * Opaque identifiers with a readable prefix ({@code evt_}, {@code att_}, {@code ep_}, {@code ws_}).
 * The body is a 26-character ULID: 48 bits of milliseconds then 80 random bits in Crockford base32,
 * so ids sort by creation time, which the delivery log relies on: a time window is a range of ids
 * ({@link #lowestAt}, {@link #highestAt}) and an id tells when it was made ({@link #timeOf}).
 */
public final class Ids {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int ULID_LENGTH = 26;
    private static final int TIME_CHARS = 10;
    private static final long MAX_MILLIS = (1L << 48) - 1;

    private Ids() {
    }

    public static String newId(String prefix, Instant at) {
        return prefix + ulid(at.toEpochMilli(), Randomness.secure());
    }

    /** The smallest id with this prefix that {@link #newId} can make in {@code at}'s millisecond. */
    public static String lowestAt(String prefix, Instant at) {
        return prefix + time(clampedMillis(at)) + "0".repeat(ULID_LENGTH - TIME_CHARS);
    }

    /** The largest id with this prefix that {@link #newId} can make in {@code at}'s millisecond. */
    public static String highestAt(String prefix, Instant at) {
        return prefix + time(clampedMillis(at)) + "Z".repeat(ULID_LENGTH - TIME_CHARS);
    }

    /** The millisecond an id was made in: the time part of its ULID (the 26 characters after the prefix). */
    public static Instant timeOf(String id) {
        if (id.length() < ULID_LENGTH) {
            throw new IllegalArgumentException("not an id with a ULID: " + id);
        }
        int from = id.length() - ULID_LENGTH;
        long millis = 0;
        for (int i = from; i < from + TIME_CHARS; i++) {
            int digit = digit(id.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException("not an id with a ULID: " + id);
            }
            millis = (millis << 5) | digit;
        }
        return Instant.ofEpochMilli(millis);
    }

    /**
     * An id whose time part is {@code at} and whose other 80 bits come from hashing {@code seed}: the same
     * arguments always give the same id (an attempt repeated after a lost receive keeps its id), while
     * different seeds give ids as unlikely to collide as random ones.
     */
    public static String derived(String prefix, Instant at, String seed) {
        byte[] digest = sha256().digest(seed.getBytes(StandardCharsets.UTF_8));
        return prefix + ulid(at.toEpochMilli(), Arrays.copyOf(digest, 10));
    }

    /** A fresh SHA-256 digest: a copy of one made once, cheaper than a provider lookup per attempt id. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) Sha256.PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException missing) {
                throw new IllegalStateException("SHA-256 is part of every JDK", missing);
            }
        }
    }

    /** Holds the prototype, made on first use (no state from it is ever shared: each use digests a copy). */
    private static final class Sha256 {
        static final MessageDigest PROTOTYPE;

        static {
            try {
                PROTOTYPE = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    static String ulid(long millis, SecureRandom random) {
        byte[] r = new byte[10];
        random.nextBytes(r);
        return ulid(millis, r);
    }

    private static String ulid(long millis, byte[] r) {
        char[] out = new char[ULID_LENGTH];
        time(millis).getChars(0, TIME_CHARS, out, 0);
        // 80 random bits -> 16 base32 characters
        long hi = 0;
        for (int i = 0; i < 5; i++) {
            hi = (hi << 8) | (r[i] & 0xff);
        }
        long lo = 0;
        for (int i = 5; i < 10; i++) {
            lo = (lo << 8) | (r[i] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = CROCKFORD[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = CROCKFORD[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    /** The 10 time characters of a ULID: 48 bits of milliseconds, most significant first. */
    private static String time(long millis) {
        char[] out = new char[TIME_CHARS];
        long time = millis;
        for (int i = TIME_CHARS - 1; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
        return new String(out);
    }

    /** A window's edge may lie outside what 48 bits of milliseconds hold: it then covers every id on that side. */
    private static long clampedMillis(Instant at) {
        try {
            return Math.clamp(at.toEpochMilli(), 0L, MAX_MILLIS);
        } catch (ArithmeticException overflow) {
            return at.isBefore(Instant.EPOCH) ? 0L : MAX_MILLIS;
        }
    }

    private static int digit(char c) {
        for (int d = 0; d < CROCKFORD.length; d++) {
            if (CROCKFORD[d] == c) {
                return d;
            }
        }
        return -1;
    }
}
