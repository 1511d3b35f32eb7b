package dev.signet.management;

import dev.signet.api.ApiResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /openapi.yaml}, with no credential: the OpenAPI 3.1 description of the API. The build
 * copies the repository's openapi.yaml into this function's jar (functions/management/pom.xml), so
 * the document a deployment serves is the one its code was built and tested with.
 */
final class ApiDescription {
    static final String PATH = "/openapi.yaml";
    static final String RESOURCE = "/api/openapi.yaml";

    private final ApiResponse response;

    ApiDescription() {
        // Read once, when the function starts: a jar without it fails then, not on the first request.
        this.response = new ApiResponse(200, Map.of("content-type", "application/yaml; charset=utf-8",
                "cache-control", "public, max-age=300"), text(RESOURCE));
    }

    ApiResponse serve() {
        return response;
    }

    /** A text file from the function's jar. */
    static String text(String resource) {
        try (InputStream in = ApiDescription.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource.substring(1) + " is missing from the management function's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
