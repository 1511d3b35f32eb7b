package dev.signet.core.signing;

import javax.crypto.Mac;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks signing: {@code v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>}, one
 * space-separated entry per secret in force (more than one during a rotation's grace period).
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
}
