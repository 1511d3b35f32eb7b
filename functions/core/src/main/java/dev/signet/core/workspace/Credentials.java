package dev.signet.core.workspace;

import dev.signet.core.ids.Randomness;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API credentials: 32 random bytes behind a recognisable prefix, so a leaked one can be spotted and
 * revoked. Only their SHA-256 is stored; with 256 bits of entropy a plain hash is enough (there is
 * nothing to brute-force), and lookups by hash keep the comparison off the secret itself.
 */
public final class Credentials {
    public static final String INGEST_KEY_PREFIX = "sgn_ik_";
    public static final String SESSION_TOKEN_PREFIX = "sgn_st_";
    public static final String ADMIN_KEY_PREFIX = "sgn_ak_";

    private Credentials() {
    }

    public static String newIngestKey() {
        return INGEST_KEY_PREFIX + randomToken();
    }

    public static String newSessionToken() {
        return SESSION_TOKEN_PREFIX + randomToken();
    }

    public static String newAdminKey() {
        return ADMIN_KEY_PREFIX + randomToken();
    }

    private static String randomToken() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Randomness.bytes(32));
    }

    /** Hex SHA-256 of a credential: what is stored and looked up. */
    public static String hash(String credential) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(credential.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of two credentials (or two hashes). */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
