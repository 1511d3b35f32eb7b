package dev.signet.core.ids;

import java.security.SecureRandom;

/**
 * The project's source of randomness. Created on first use inside a request, never during class
 * initialisation, so a SnapStart snapshot holds no random state that restored copies would share.
 */
public final class Randomness {
    private static volatile SecureRandom instance;

    private Randomness() {
    }

    public static SecureRandom secure() {
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
}
