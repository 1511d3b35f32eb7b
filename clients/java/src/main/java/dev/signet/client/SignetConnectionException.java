package dev.signet.client;

/**
 * No answer from Signet: the connection failed or the request timed out, after the retries that were
 * safe to make. The request may or may not have been processed; calls with an Idempotency-Key
 * (every emit) can be repeated with the same key without risk.
 */
public final class SignetConnectionException extends SignetException {
    private static final long serialVersionUID = 1L;

    SignetConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
