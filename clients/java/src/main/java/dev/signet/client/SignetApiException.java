package dev.signet.client;

import java.time.Duration;
import java.util.Optional;

/**
 * Signet answered with an error: {@code {"error":{"code","message","field"?}}} and an HTTP status
 * (README.md, "Using the API"). {@link #code()} is the machine-readable part ({@code invalid_request},
 * {@code unauthorized}, {@code forbidden}, {@code not_found}, {@code method_not_allowed}, {@code conflict}, {@code payload_too_large},
 * {@code rate_limited}, {@code internal}); the message tells a person what to fix.
 */
public final class SignetApiException extends SignetException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;
    private final transient Duration retryAfter;

    SignetApiException(int status, String code, String message, String field, Duration retryAfter) {
        super(message, null);
        this.status = status;
        this.code = code;
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, e.g. 409. */
    public int status() {
        return status;
    }

    /** The error code, e.g. {@code conflict}; {@code unknown} when the body carried none (a proxy's error page). */
    public String code() {
        return code;
    }

    /** The request field the error is about (e.g. {@code url}, {@code payload/total_cents}), if it names one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** How long the server asked to wait ({@code Retry-After}), when it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    @Override
    public String toString() {
        return "SignetApiException{status=" + status + ", code=" + code + (field == null ? "" : ", field=" + field)
                + ", message=" + getMessage() + "}";
    }
}
