package dev.signet.core.credentials;

import dev.signet.core.ids.Randomness;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

/**
 * AES-256-GCM with the JDK's own provider: what an endpoint item stores of its credentials.
 * The sealed text is {@code <key id>.<base64url of the 96-bit random nonce, the ciphertext and the
 * 128-bit tag>}: the key id says which key-encryption key opens it, so keys can rotate while sealed
 * values of the previous key are still being read. The {@link CredentialScope} is the associated data.
 */
public final class Envelope {
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";

    private Envelope() {
    }

    /** Seals {@code plaintext} for {@code scope} under the current key, with a fresh random nonce. */
    public static String seal(KeyEncryptionKeys keys, CredentialScope scope, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        Randomness.secure().nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.ENCRYPT_MODE, keys.current(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(scope.associatedData());
            byte[] sealed = cipher.doFinal(plaintext);
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return keys.currentId() + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The id of the key a sealed value was sealed under (not secret). */
    public static String keyId(String sealed) {
        int dot = sealed == null ? -1 : sealed.indexOf('.');
        if (dot <= 0) {
            throw new UnreadableException("sealed credentials have no key id");
        }
        return sealed.substring(0, dot);
    }

    /**
     * Opens a sealed value. Throws {@link UnknownKeyException} if its key is not in {@code keys}, and
     * {@link UnreadableException} if it is malformed, was altered, or was sealed for another scope
     * (GCM's tag check cannot tell those apart, and need not).
     */
    public static byte[] open(KeyEncryptionKeys keys, CredentialScope scope, String sealed) {
        String id = keyId(sealed);
        SecretKey key = keys.key(id);
        if (key == null) {
            throw new UnknownKeyException(id);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(sealed.substring(id.length() + 1));
        } catch (IllegalArgumentException e) {
            throw new UnreadableException("sealed credentials are not base64url");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableException("sealed credentials are too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(CIPHER);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, Arrays.copyOf(bytes, NONCE_BYTES)));
            cipher.updateAAD(scope.associatedData());
            return cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new UnreadableException("sealed credentials do not open: altered, or sealed for another endpoint, workspace or generation");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** Sealed credentials that cannot be opened; the message never contains any of them. */
    public static class UnreadableException extends IllegalStateException {
        public UnreadableException(String message) {
            super(message);
        }
    }

    /** Sealed under a key the key set does not hold (a key retired too early, or a set read before a rotation). */
    public static final class UnknownKeyException extends UnreadableException {
        private final String keyId;

        public UnknownKeyException(String keyId) {
            super("sealed credentials name key \"" + (keyId.length() > 32 ? keyId.substring(0, 32) + "…" : keyId)
                    + "\", which the key-encryption key secret does not hold");
            this.keyId = keyId;
        }

        public String keyId() {
            return keyId;
        }
    }
}
