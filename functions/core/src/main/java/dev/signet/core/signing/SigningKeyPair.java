package dev.signet.core.signing;

import dev.signet.core.ids.Randomness;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * A {@code v1a} signing key pair (Standard Webhooks asymmetric signatures: ed25519, with the JDK's own
 * provider). Signet generates it and keeps the private key; the receiver holds only the
 * {@link #publicKey()}. Stored as {@code whsk_} followed by standard base64 of the 32-byte private key
 * (the seed) and the 32-byte public key, the layout Standard Webhooks libraries use for {@code whsk_}.
 * {@link #toString()} never reveals the private key.
 */
public final class SigningKeyPair {
    public static final String PREFIX = "whsk_";
    static final String ALGORITHM = "Ed25519";
    static final int SIGNATURE_BYTES = 64;
    private static final int SEED_BYTES = 32;
    /** The fixed PKCS#8 header of an Ed25519 private key (RFC 8410) as the JDK encodes it; the seed follows. */
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
            0x04, 0x22, 0x04, 0x20};
    private static final byte[] PAIRING_CHECK = "signet v1a key pair check".getBytes(StandardCharsets.US_ASCII);

    private final byte[] seed;
    private final PrivateKey privateKey;
    private final WebhookPublicKey publicKey;

    private SigningKeyPair(byte[] seed, PrivateKey privateKey, WebhookPublicKey publicKey) {
        this.seed = seed;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new key pair from the project's random source. */
    public static SigningKeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(NamedParameterSpec.ED25519, Randomness.secure());
            KeyPair pair = generator.generateKeyPair();
            byte[] encoded = pair.getPrivate().getEncoded();
            if (encoded.length != PKCS8_PREFIX.length + SEED_BYTES
                    || !Arrays.equals(encoded, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
                throw new IllegalStateException("unexpected Ed25519 private key encoding from the JDK");
            }
            return new SigningKeyPair(Arrays.copyOfRange(encoded, PKCS8_PREFIX.length, encoded.length), pair.getPrivate(),
                    WebhookPublicKey.of(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable", e);
        }
    }

    /**
     * Reads the stored form {@code whsk_<base64 of seed and public key>}, checking that the two halves
     * belong together. Messages never contain the key.
     */
    public static SigningKeyPair parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new InvalidKeyException("signing key must start with \"whsk_\" followed by base64 of 64 bytes");
        }
        byte[] both;
        try {
            both = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("signing key after \"whsk_\" must be standard base64");
        }
        if (both.length != SEED_BYTES + WebhookPublicKey.RAW_BYTES) {
            throw new InvalidKeyException("a signing key is 64 bytes (private and public key), not " + both.length);
        }
        byte[] seed = Arrays.copyOfRange(both, 0, SEED_BYTES);
        WebhookPublicKey publicKey = WebhookPublicKey.fromRaw(Arrays.copyOfRange(both, SEED_BYTES, both.length));
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(WebhookPublicKey.concat(PKCS8_PREFIX, seed)));
        } catch (GeneralSecurityException e) {
            throw new InvalidKeyException("signing key holds no valid ed25519 private key");
        }
        SigningKeyPair pair = new SigningKeyPair(seed, privateKey, publicKey);
        // The JDK cannot derive a public key from a private one: a signature shows the halves match.
        if (!publicKey.verifies(PAIRING_CHECK, pair.sign(PAIRING_CHECK))) {
            throw new InvalidKeyException("signing key's public half does not belong to its private half");
        }
        return pair;
    }

    /** The stored form, {@code whsk_…}; only for storing it, never for showing. */
    public String reveal() {
        return PREFIX + Base64.getEncoder().encodeToString(WebhookPublicKey.concat(seed, publicKey.raw()));
    }

    public WebhookPublicKey publicKey() {
        return publicKey;
    }

    /** The ed25519 signature of {@code message} (64 bytes). */
    public byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKeyPair other && MessageDigest.isEqual(seed, other.seed);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }

    @Override
    public String toString() {
        return "SigningKeyPair[" + publicKey.text() + ", private key redacted]";
    }

    /** A malformed key; its message never contains the key. */
    public static final class InvalidKeyException extends IllegalArgumentException {
        public InvalidKeyException(String message) {
            super(message);
        }
    }
}
