package dev.signet.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.event.InvalidInputException;
import dev.signet.core.event.PayloadTooLargeException;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The edge between API Gateway (HTTP API, payload format 2.0) and the API: converts the event to an
 * {@link ApiRequest}, runs it, maps every failure to the error body (openapi.yaml, {@code Error}) and logs
 * one line per request. The only place that knows the Lambda HTTP types.
 */
public final class ApiGateway {
    private ApiGateway() {
    }

    public static APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context, Function<ApiRequest, ApiResponse> api) {
        long started = System.nanoTime();
        String requestId = context != null && context.getAwsRequestId() != null ? context.getAwsRequestId() : "local";
        ApiRequest request = toRequest(event, requestId);
        ApiResponse response;
        try {
            response = api.apply(request);
        } catch (ApiException e) {
            response = error(e);
        } catch (InvalidInputException e) {
            response = error(ApiException.invalid(e.field(), e.getMessage()));
        } catch (PayloadTooLargeException e) {
            response = error(ApiException.tooLarge(e.getMessage()));
        } catch (RuntimeException e) {
            Log.error("request failed", e, f -> f.put("request_id", requestId).put("method", request.method()).put("path", request.path()));
            response = error(ApiException.internal(requestId));
        }
        int status = response.status();
        long ms = (System.nanoTime() - started) / 1_000_000;
        Log.info("api request", f -> f.put("request_id", requestId).put("method", request.method())
                .put("path", request.path()).put("status", status).put("duration_ms", ms));
        return toResponse(response);
    }

    public static ApiResponse error(ApiException e) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (e.field() != null) {
            error.put("field", e.field());
        }
        ApiResponse response = ApiResponse.json(e.status(), body);
        if (e.headers().isEmpty()) {
            return response;
        }
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.putAll(e.headers());
        return new ApiResponse(response.status(), headers, response.body());
    }

    static ApiRequest toRequest(APIGatewayV2HTTPEvent event, String requestId) {
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        Map<String, String> query = event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "GET";
        String path = event.getRawPath() != null ? event.getRawPath() : "/";
        byte[] body;
        if (event.getBody() == null) {
            body = new byte[0];
        } else if (event.getIsBase64Encoded()) {
            body = Base64.getDecoder().decode(event.getBody());
        } else {
            body = event.getBody().getBytes(StandardCharsets.UTF_8);
        }
        return new ApiRequest(method.toUpperCase(Locale.ROOT), path, headers, query, body, requestId);
    }

    static APIGatewayV2HTTPResponse toResponse(ApiResponse response) {
        Map<String, String> headers = new HashMap<>(response.headers());
        headers.putIfAbsent("cache-control", "no-store");
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }
}
