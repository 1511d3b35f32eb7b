package dev.signet.core.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;

/**
 * Verifies a Standard Webhooks request the way a receiver should: over the raw body bytes, accepting
 * any {@code v1,} signature made with the secret, and rejecting timestamps outside the tolerance.
 */
public final class Verifier {
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private final WebhookSecret secret;
    private final Clock clock;
    private final Duration tolerance;

    public Verifier(WebhookSecret secret, Clock clock, Duration tolerance) {
        this.secret = secret;
        this.clock = clock;
        this.tolerance = tolerance;
    }

    public Verifier(WebhookSecret secret) {
        this(secret, Clock.systemUTC(), DEFAULT_TOLERANCE);
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
        byte[] expected = Signer.sign(webhookId, ts, body, secret).getBytes(StandardCharsets.US_ASCII);
        for (String entry : signatures.trim().split(" +")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given = entry.substring(comma + 1).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, given)) {
                return;
            }
        }
        throw new VerificationException("no v1 signature matches this secret");
    }

    public static final class VerificationException extends Exception {
        public VerificationException(String message) {
            super(message);
        }
    }
}
