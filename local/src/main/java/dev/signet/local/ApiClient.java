package dev.signet.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A plain HTTP client of a running Signet API, as a product backend or the portal would call it:
 * used by the local demo and by the integration tests. Bodies go out and come back as text, exactly.
 */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // what API Gateway speaks to us here; no h2c upgrade dance
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final URI base;

    public ApiClient(URI base) {
        this.base = base;
    }

    public Reply get(String path, String bearer) {
        return send("GET", path, bearer, Map.of(), null);
    }

    public Reply delete(String path, String bearer) {
        return send("DELETE", path, bearer, Map.of(), null);
    }

    public Reply post(String path, String bearer, String json) {
        return send("POST", path, bearer, Map.of("content-type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    public Reply post(String path, String bearer, JsonNode json) {
        return post(path, bearer, Json.write(json));
    }

    public Reply patch(String path, String bearer, String json) {
        return send("PATCH", path, bearer, Map.of("content-type", "application/json"), json.getBytes(StandardCharsets.UTF_8));
    }

    public Reply patch(String path, String bearer, JsonNode json) {
        return patch(path, bearer, Json.write(json));
    }

    /**
     * Any request.
     *
     * @param bearer sent as {@code Authorization: Bearer ...}; null sends no Authorization header
     * @param body null sends none
     */
    public Reply send(String method, String path, String bearer, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    /** A response: status, headers (names lower-case) and the body text. */
    public record Reply(int status, Map<String, List<String>> headers, String body) {
        /** The body parsed as JSON; fails the caller clearly when it is not JSON. */
        public JsonNode json() {
            try {
                return Json.parse(body);
            } catch (IOException e) {
                throw new IllegalStateException("the response (" + status + ") is not JSON: " + body, e);
            }
        }

        /** A top-level field of the JSON body as text (empty when absent). */
        public String text(String field) {
            return json().path(field).asText();
        }

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }
}
