package dev.signet.delivery;

import dev.signet.core.endpoint.ClientCertificate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Sends one signed webhook request and says what came back. {@link WebhookClient} is the real one
 * (URL guard, pinned addresses, timeouts); the delivery core's unit tests script their own.
 */
public interface WebhookSender {

    Result send(String method, String url, Map<String, String> headers, byte[] body, Duration timeout);

    /**
     * Sends presenting {@code certificate} on the TLS handshake (the endpoint's
     * {@code tls_client_certificate}); null: none. A sender that cannot present certificates refuses
     * one rather than send without it.
     */
    default Result send(String method, String url, Map<String, String> headers, byte[] body, Duration timeout,
                        ClientCertificate certificate) {
        if (certificate != null) {
            return new Failure("this sender cannot present a client certificate", 0);
        }
        return send(method, url, headers, body, timeout);
    }

    /** What came back: a response, or the reason there was none. */
    sealed interface Result {
        long durationMs();
    }

    record Response(int status, Map<String, List<String>> headers, byte[] body, long durationMs) implements Result {
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    /** No response; {@code blocked} when the URL guard refused the target, so retrying cannot help. */
    record Failure(String error, long durationMs, boolean blocked) implements Result {
        public Failure(String error, long durationMs) {
            this(error, durationMs, false);
        }
    }
}
