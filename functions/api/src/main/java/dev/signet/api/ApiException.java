package dev.signet.api;

/**
 * Every non-2xx answer of the API (CONTRACT §7). The message is shown to the caller: it says what to
 * fix and never carries internal names, stack traces or secrets.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    private ApiException(int status, String code, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public static ApiException invalid(String field, String message) {
        return new ApiException(400, "invalid_request", message, field);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message, null);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, null);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message, null);
    }

    public static ApiException tooLarge(String message) {
        return new ApiException(413, "payload_too_large", message, null);
    }

    public static ApiException rateLimited(String message) {
        return new ApiException(429, "rate_limited", message, null);
    }

    public static ApiException internal(String requestId) {
        return new ApiException(500, "internal", "something went wrong on our side; retry later (request " + requestId + ")", null);
    }

    /** A 500 that says what happened and what a retry does, e.g. when only part of a request's work was done. */
    public static ApiException internal(String requestId, String message) {
        return new ApiException(500, "internal", message + " (request " + requestId + ")", null);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
