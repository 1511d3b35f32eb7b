package dev.signet.api;

import java.util.Map;

/**
 * An HTTP request as the API sees it, free of Lambda types: header names lower-case, the body as the
 * raw bytes received.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, Map<String, String> query,
                         byte[] body, String requestId) {

    public ApiRequest {
        headers = Map.copyOf(headers);
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
