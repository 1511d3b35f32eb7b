package dev.signet.core.signing;

import dev.signet.core.ids.Randomness;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * An endpoint's signing secret: {@code whsec_} followed by standard base64 of 24 to 64 bytes; the HMAC
 * key is the decoded bytes (Standard Webhooks). {@link #toString()} never reveals it.
 */
public final class WebhookSecret {
    public static final String PREFIX = "whsec_";
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;
    private static final int GENERATED_BYTES = 32;
    private static final String HMAC = "HmacSHA256";

    private final byte[] key;
    /** HMAC-SHA256 initialised with the key, made on first use; {@link #keyedMac()} hands out copies. */
    private volatile Mac prototype;

    private WebhookSecret(byte[] key) {
        this.key = key;
    }

    /** Parses a customer-supplied secret, explaining what is wrong without echoing it. */
    public static WebhookSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new InvalidSecretException("secret must start with \"whsec_\" followed by base64 of 24 to 64 random bytes");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidSecretException("secret after \"whsec_\" must be standard base64");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new InvalidSecretException("secret must decode to 24 to 64 bytes, not " + key.length);
        }
        return new WebhookSecret(key);
    }

    public static WebhookSecret generate() {
        return new WebhookSecret(Randomness.bytes(GENERATED_BYTES));
    }

    /** The secret in its {@code whsec_} text form; only for storing it or showing it once. */
    public String reveal() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** A recognisable, non-secret hint: {@code whsec_…} plus the last four characters. */
    public String hint() {
        String text = reveal();
        return PREFIX + "\u2026" + text.substring(text.length() - 4);
    }

    /**
     * A fresh HMAC-SHA256 keyed with this secret. Copies a prototype initialised once, instead of
     * looking the algorithm up and initialising the key at every signature; falls back to that when
     * the provider's Mac cannot be copied.
     */
    Mac keyedMac() {
        try {
            Mac p = prototype;
            if (p == null) {
                p = newKeyedMac();
                prototype = p;
            }
            return (Mac) p.clone();
        } catch (CloneNotSupportedException e) {
            return newKeyedMac();
        }
    }

    private Mac newKeyedMac() {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookSecret other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return key.length;
    }

    @Override
    public String toString() {
        return "WebhookSecret[redacted]";
    }

    /** Thrown for a malformed secret; its message never contains the secret. */
    public static final class InvalidSecretException extends IllegalArgumentException {
        public InvalidSecretException(String message) {
            super(message);
        }
    }
}
