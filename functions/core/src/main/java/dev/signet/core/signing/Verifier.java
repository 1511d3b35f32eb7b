package dev.signet.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Verifies a Standard Webhooks request the way a receiver should: over the raw body bytes, accepting
 * any {@code v1,} signature made with the secret (or, given a {@code whpk_} public key, any
 * {@code v1a,} signature made with its private key), and rejecting timestamps outside the tolerance.
 */
public final class Verifier {
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    /** Checks the entries of one scheme against one request. */
    private interface EntryCheck {
        /** Prepares the check of one request; the result says whether one entry's base64 signature is valid. */
        Predicate<String> forRequest(String webhookId, long timestamp, byte[] body);
    }

    private final String scheme;
    private final EntryCheck check;
    private final Clock clock;
    private final Duration tolerance;

    private Verifier(String scheme, EntryCheck check, Clock clock, Duration tolerance) {
        this.scheme = scheme;
        this.check = check;
        this.clock = clock;
        this.tolerance = tolerance;
    }

    public Verifier(WebhookSecret secret, Clock clock, Duration tolerance) {
        this("v1", (id, ts, body) -> {
            byte[] expected = Signer.sign(id, ts, body, secret).getBytes(StandardCharsets.US_ASCII);
            return given -> MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII));
        }, clock, tolerance);
    }

    public Verifier(WebhookSecret secret) {
        this(secret, Clock.systemUTC(), DEFAULT_TOLERANCE);
    }

    /** A verifier of {@code v1a} (ed25519) signatures, holding only the public key. */
    public Verifier(WebhookPublicKey publicKey, Clock clock, Duration tolerance) {
        this("v1a", (id, ts, body) -> {
            byte[] content = Signer.signedContent(id, ts, body);
            return given -> {
                byte[] signature;
                try {
                    signature = Base64.getDecoder().decode(given);
                } catch (IllegalArgumentException e) {
                    return false;
                }
                return publicKey.verifies(content, signature);
            };
        }, clock, tolerance);
    }

    public Verifier(WebhookPublicKey publicKey) {
        this(publicKey, Clock.systemUTC(), DEFAULT_TOLERANCE);
    }

    /**
     * @param webhookId value of the {@code webhook-id} header
     * @param timestamp value of the {@code webhook-timestamp} header
     * @param signatures value of the {@code webhook-signature} header
     * @param body the raw request body, exactly as received
     */
    public void verify(String webhookId, String timestamp, String signatures, byte[] body) throws VerificationException {
        if (webhookId == null || timestamp == null || signatures == null) {
            throw new VerificationException("missing webhook-id, webhook-timestamp or webhook-signature header");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw new VerificationException("webhook-timestamp is not a number of seconds");
        }
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - ts) > tolerance.toSeconds()) {
            throw new VerificationException("webhook-timestamp is outside the tolerance of " + tolerance.toSeconds() + " s");
        }
        Predicate<String> valid = check.forRequest(webhookId, ts, body);
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma >= 0 && entry.substring(0, comma).equals(scheme) && valid.test(entry.substring(comma + 1))) {
                return;
            }
        }
        throw new VerificationException("no " + scheme + " signature matches this " + (scheme.equals("v1") ? "secret" : "public key"));
    }

    public static final class VerificationException extends Exception {
        public VerificationException(String message) {
            super(message);
        }
    }
}
