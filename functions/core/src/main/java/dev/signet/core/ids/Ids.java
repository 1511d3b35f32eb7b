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
 * so ids sort by creation time, which the delivery log relies on.
 */
public final class Ids {
    private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private Ids() {
    }

    public static String newId(String prefix, Instant at) {
        return prefix + ulid(at.toEpochMilli(), Randomness.secure());
    }

    /**
     * An id whose time part is {@code at} and whose other 80 bits come from hashing {@code seed}: the same
     * arguments always give the same id (an attempt repeated after a lost receive keeps its id), while
     * different seeds give ids as unlikely to collide as random ones.
     */
    public static String derived(String prefix, Instant at, String seed) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return prefix + ulid(at.toEpochMilli(), Arrays.copyOf(digest, 10));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String ulid(long millis, SecureRandom random) {
        byte[] r = new byte[10];
        random.nextBytes(r);
        return ulid(millis, r);
    }

    private static String ulid(long millis, byte[] r) {
        char[] out = new char[26];
        long time = millis;
        for (int i = 9; i >= 0; i--) {
            out[i] = CROCKFORD[(int) (time & 31)];
            time >>>= 5;
        }
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
}
