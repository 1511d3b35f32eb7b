package dev.signet.api;

import java.util.Collection;
import java.util.Map;

/**
 * Every non-2xx answer of the API (the error body in openapi.yaml). The message is shown to the
 * caller: it says what to fix and never carries internal names, stack traces or secrets. {@code field}
 * names the request field the answer is about, when there is one (a 400 or a 403 alike).
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;
    private final Map<String, String> headers;

    private ApiException(int status, String code, String message, String field) {
        this(status, code, message, field, Map.of());
    }

    private ApiException(int status, String code, String message, String field, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.headers = Map.copyOf(headers);
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

    /** A credential that may do the call but not touch {@code field} with it. */
    public static ApiException forbidden(String field, String message) {
        return new ApiException(403, "forbidden", message, field);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message, null);
    }

    /** A route that exists, called with a method it does not take; {@code Allow} lists those it does. */
    public static ApiException methodNotAllowed(String method, String path, Collection<String> allowed) {
        String allow = String.join(", ", allowed);
        return new ApiException(405, "method_not_allowed", path + " does not take " + method + "; it takes " + allow,
                null, Map.of("allow", allow));
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

    /** Headers the answer carries besides the body's (lower-case names), e.g. {@code allow} on a 405. */
    public Map<String, String> headers() {
        return headers;
    }
}
