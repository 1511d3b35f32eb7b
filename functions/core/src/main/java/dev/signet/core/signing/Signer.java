package dev.signet.core.signing;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks signing over {@code "{id}.{timestamp}.{body}"}: {@code v1,<base64 HMAC-SHA256>}
 * with {@code whsec_} secrets, or {@code v1a,<base64 ed25519 signature>} with {@code v1a} key pairs;
 * one space-separated entry per key in force (more than one during a rotation's grace period).
 */
public final class Signer {
    private Signer() {
    }

    public static String signatureHeader(String webhookId, long timestampSeconds, byte[] body, List<WebhookSecret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret is needed to sign");
        }
        StringBuilder header = new StringBuilder();
        for (WebhookSecret secret : secrets) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1,").append(sign(webhookId, timestampSeconds, body, secret));
        }
        return header.toString();
    }

    /** The base64 signature for one secret, without the {@code v1,} prefix. */
    public static String sign(String webhookId, long timestampSeconds, byte[] body, WebhookSecret secret) {
        Mac mac = secret.keyedMac();
        mac.update((webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /**
     * The {@code webhook-signature} header of a {@code v1a} endpoint: {@code v1a,<base64 signature>}
     * per key pair, in the order given (the current pair first, then those still in grace).
     */
    public static String asymmetricSignatureHeader(String webhookId, long timestampSeconds, byte[] body, List<SigningKeyPair> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("at least one key pair is needed to sign");
        }
        byte[] content = signedContent(webhookId, timestampSeconds, body);
        StringBuilder header = new StringBuilder();
        for (SigningKeyPair key : keys) {
            if (!header.isEmpty()) {
                header.append(' ');
            }
            header.append("v1a,").append(Base64.getEncoder().encodeToString(key.sign(content)));
        }
        return header.toString();
    }

    /** What both schemes sign: {@code "{webhook-id}.{webhook-timestamp}."} followed by the exact body bytes. */
    static byte[] signedContent(String webhookId, long timestampSeconds, byte[] body) {
        byte[] prefix = (webhookId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, content, 0, prefix.length);
        System.arraycopy(body, 0, content, prefix.length, body.length);
        return content;
    }
}
