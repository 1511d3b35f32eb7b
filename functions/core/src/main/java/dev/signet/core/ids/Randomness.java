package dev.signet.core.ids;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.util.function.IntSupplier;

/**
 * The project's source of randomness. Created on first use inside a request, never during class
 * initialisation, so a SnapStart snapshot holds no random state that restored copies would share.
 *
 * <p>SnapStart priming runs the real request paths, which create ids and secrets; it does so inside
 * {@link #forPriming}, where every draw comes from a throwaway counter instead, so priming neither
 * creates the real source nor leaves anything random behind.
 */
public final class Randomness {
    private static volatile SecureRandom instance;
    /** Non-null only while priming runs (single-threaded, before any request). */
    private static volatile SecureRandom priming;

    private Randomness() {
    }

    public static SecureRandom secure() {
        SecureRandom p = priming;
        if (p != null) {
            return p;
        }
        SecureRandom r = instance;
        if (r == null) {
            synchronized (Randomness.class) {
                r = instance;
                if (r == null) {
                    r = new SecureRandom();
                    instance = r;
                }
            }
        }
        return r;
    }

    /** Whether the random source exists yet; SnapStart priming must leave it uncreated. */
    public static boolean created() {
        return instance != null;
    }

    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        secure().nextBytes(b);
        return b;
    }

    /**
     * Runs {@code work} with a predictable, throwaway source in place of the real one: for SnapStart
     * priming only, whose ids and keys are never used for anything.
     */
    public static int forPriming(IntSupplier work) {
        synchronized (Randomness.class) {
            priming = new SecureRandom(new CounterSpi(), null) {
            };
            try {
                return work.getAsInt();
            } finally {
                priming = null;
            }
        }
    }

    /** SplitMix64 over a counter: fills bytes without touching the system's entropy. */
    private static final class CounterSpi extends SecureRandomSpi {
        private long state;

        @Override
        protected void engineSetSeed(byte[] seed) {
            for (byte b : seed) {
                state = state * 31 + b;
            }
        }

        @Override
        protected synchronized void engineNextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                long z = (state += 0x9E3779B97F4A7C15L);
                z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
                z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
                bytes[i] = (byte) (z ^ (z >>> 31));
            }
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            byte[] b = new byte[numBytes];
            engineNextBytes(b);
            return b;
        }
    }
}
