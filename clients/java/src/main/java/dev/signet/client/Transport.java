package dev.signet.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One HTTP exchange with Signet, retried when that is safe: the only class that touches the network.
 *
 * <p>A 429 means the request was refused before anything happened, and a refused connection means
 * it never left, so both are retried for every call. A 5xx or a connection lost mid-request is
 * ambiguous (the server may have acted), so only calls that are safe to repeat are retried then:
 * reads, PUT/DELETE, and calls carrying an Idempotency-Key.
 */
final class Transport {
    /** Reads answers exactly: big integers and decimals keep every digit (an event's payload must). */
    static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    /** Waits between retries; tests replace it to record the waits instead of sleeping. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** What to send. {@code body} is serialised with the client's mapper; null for none. */
    record Call(String method, String path, Object body, String idempotencyKey, boolean safeToRepeat) {
        static Call get(String path) {
            return new Call("GET", path, null, null, true);
        }

        static Call delete(String path) {
            return new Call("DELETE", path, null, null, true);
        }

        static Call put(String path, Object body) {
            return new Call("PUT", path, body, null, true);
        }

        /** A POST that must not be repeated after an ambiguous failure (it would act twice). */
        static Call post(String path, Object body) {
            return new Call("POST", path, body, null, false);
        }

        boolean retriedWhenAmbiguous() {
            return safeToRepeat || idempotencyKey != null;
        }
    }

    /** The status and JSON body (NullNode for an empty one) of a 2xx answer. */
    record Answer(int status, JsonNode body) {
    }

    private final HttpClient http;
    /** The API's base URL without a trailing slash; a deployment's may carry a stage path, which paths are appended to. */
    private final String base;
    private final String bearer;
    private final Duration requestTimeout;
    private final RetrySettings retries;
    private final ObjectMapper writer;
    private final Sleeper sleeper;
    private final RandomGenerator random;

    Transport(HttpClient http, URI base, String bearer, Duration requestTimeout, RetrySettings retries,
              ObjectMapper writer, Sleeper sleeper, RandomGenerator random) {
        this.http = http;
        String b = base.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.bearer = bearer;
        this.requestTimeout = requestTimeout;
        this.retries = retries;
        this.writer = writer;
        this.sleeper = sleeper;
        this.random = random;
    }

    Answer send(Call call) {
        HttpRequest request = request(call);
        for (int retry = 0; ; retry++) {
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                // Refused or not connected in time: the request never left, so any call may go again.
                boolean neverSent = e instanceof ConnectException || e instanceof HttpConnectTimeoutException;
                Duration wait = neverSent || call.retriedWhenAmbiguous() ? retries.delayBefore(retry, null, random) : null;
                if (wait == null) {
                    throw new SignetConnectionException(call.method() + " " + call.path() + " got no answer from "
                            + base + " (" + e + ")" + (retry > 0 ? " after " + retry + " retries" : ""), e);
                }
                pause(wait, e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SignetConnectionException("interrupted during " + call.method() + " " + call.path(), e);
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Answer(status, parse(response.body()));
            }
            SignetApiException error = error(response);
            boolean worthRetrying = status == 429 || (status >= 500 && call.retriedWhenAmbiguous());
            Duration wait = worthRetrying ? retries.delayBefore(retry, error.retryAfter().orElse(null), random) : null;
            if (wait == null) {
                throw error;
            }
            pause(wait, error);
        }
    }

    private HttpRequest request(Call call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + call.path()))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json")
                .header("User-Agent", "signet-java");
        if (call.idempotencyKey() != null) {
            b.header("Idempotency-Key", call.idempotencyKey());
        }
        if (call.body() == null) {
            b.method(call.method(), HttpRequest.BodyPublishers.noBody());
        } else {
            byte[] json;
            try {
                json = writer.writeValueAsBytes(call.body());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the request body of " + call.method() + " " + call.path()
                        + " as JSON: " + e.getOriginalMessage(), e);
            }
            b.header("Content-Type", "application/json; charset=utf-8")
                    .method(call.method(), HttpRequest.BodyPublishers.ofByteArray(json));
        }
        return b.build();
    }

    private void pause(Duration wait, Exception cause) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (cause instanceof SignetException s) {
                throw s;
            }
            throw new SignetConnectionException("interrupted while waiting to retry", cause);
        }
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return NullNode.getInstance();
        }
        try {
            return READER.readTree(body);
        } catch (IOException e) {
            throw new SignetConnectionException("Signet answered with a body that is not JSON: "
                    + new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8), e);
        }
    }

    private static SignetApiException error(HttpResponse<byte[]> response) {
        Duration retryAfter = response.headers().firstValue("Retry-After").map(Transport::retryAfter).orElse(null);
        JsonNode error = NullNode.getInstance();
        try {
            if (response.body().length > 0) {
                error = READER.readTree(response.body()).path("error");
            }
        } catch (IOException notJson) {
            // A proxy's or load balancer's page: keep the status, say what came back.
        }
        String code = error.path("code").isTextual() ? error.path("code").asText() : "unknown";
        String message = error.path("message").isTextual() ? error.path("message").asText()
                : "HTTP " + response.statusCode() + ": " + new String(response.body(), 0, Math.min(response.body().length, 200),
                StandardCharsets.UTF_8);
        String field = error.path("field").isTextual() ? error.path("field").asText() : null;
        return new SignetApiException(response.statusCode(), code, message, field, retryAfter);
    }

    /** {@code Retry-After}: delay-seconds or an HTTP date; null when unreadable. */
    static Duration retryAfter(String value) {
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(Instant.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    /** A path segment from a caller's value (an id, an event type), percent-encoded where a path needs it. */
    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("an id or name in the path must not be empty");
        }
        return encode(value);
    }

    /** {@code ?a=1&b=2} from name/value pairs, leaving out nulls; empty when all are null. */
    static String query(Object... namesAndValues) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            if (v != null) {
                q.append(q.length() == 0 ? '?' : '&').append(namesAndValues[i]).append('=').append(encode(v.toString()));
            }
        }
        return q.toString();
    }

    /** RFC 3986 unreserved characters and {@code :} stay, everything else is %XX of its UTF-8 bytes. */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~:".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** The request body of a JSON object with the given fields, leaving out nulls. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return m;
    }
}
