package dev.signet.core.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The public half of a {@code v1a} (ed25519) signing key pair, as a receiver holds it: {@code whpk_}
 * followed by standard base64 of the raw 32-byte public key (Standard Webhooks). Not a secret: every
 * read of a {@code v1a} endpoint shows it.
 */
public final class WebhookPublicKey {
    public static final String PREFIX = "whpk_";
    static final int RAW_BYTES = 32;
    /** The fixed X.509 SubjectPublicKeyInfo header of an Ed25519 key (RFC 8410); the raw key follows it. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final byte[] raw;
    private final PublicKey key;

    private WebhookPublicKey(byte[] raw, PublicKey key) {
        this.raw = raw;
        this.key = key;
    }

    /** Parses {@code whpk_<base64>}, saying what is wrong. */
    public static WebhookPublicKey parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new SigningKeyPair.InvalidKeyException("public key must start with \"whpk_\" followed by base64 of 32 bytes");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SigningKeyPair.InvalidKeyException("public key after \"whpk_\" must be standard base64");
        }
        return fromRaw(raw);
    }

    static WebhookPublicKey fromRaw(byte[] raw) {
        if (raw.length != RAW_BYTES) {
            throw new SigningKeyPair.InvalidKeyException("an ed25519 public key is 32 bytes, not " + raw.length);
        }
        try {
            PublicKey key = KeyFactory.getInstance(SigningKeyPair.ALGORITHM).generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, raw)));
            return new WebhookPublicKey(raw.clone(), key);
        } catch (GeneralSecurityException e) {
            throw new SigningKeyPair.InvalidKeyException("not a valid ed25519 public key");
        }
    }

    /** The raw 32 bytes of a JDK Ed25519 public key: its X.509 encoding without the fixed header. */
    static WebhookPublicKey of(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != X509_PREFIX.length + RAW_BYTES
                || !Arrays.equals(encoded, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return new WebhookPublicKey(Arrays.copyOfRange(encoded, X509_PREFIX.length, encoded.length), key);
    }

    /** {@code whpk_<base64>}, the form the API shows and receivers configure. */
    public String text() {
        return PREFIX + Base64.getEncoder().encodeToString(raw);
    }

    byte[] raw() {
        return raw.clone();
    }

    /** Whether {@code signature} is this key's ed25519 signature of {@code message}. */
    public boolean verifies(byte[] message, byte[] signature) {
        if (signature.length != SigningKeyPair.SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(SigningKeyPair.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is simply not a valid one
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookPublicKey other && Arrays.equals(raw, other.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return text();
    }
}
