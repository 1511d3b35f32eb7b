package dev.signet.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;

import java.util.Map;

/** An HTTP response: status, extra headers, and a JSON (or other text) body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    public static final String JSON = "application/json; charset=utf-8";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, JsonNode body) {
        return json(status, Json.write(body));
    }

    public static ApiResponse json(int status, String jsonText) {
        return new ApiResponse(status, Map.of("content-type", JSON), jsonText);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(204, Map.of(), "");
    }
}
