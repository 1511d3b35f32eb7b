package dev.signet.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.signet.core.event.InvalidInputException;
import dev.signet.core.event.PayloadTooLargeException;
import dev.signet.core.log.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every non-2xx body is {@code {"error": {"code", "message", "field"?}}} with the codes and statuses
 * openapi.yaml lists; no stack traces, no internal names, no secrets.
 */
class ErrorsFollowTheContractShapeTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @AfterEach
    void restoreLog() {
        Log.redirect(System.out);
    }

    private static APIGatewayV2HTTPEvent event(String method, String path) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        context.setHttp(http);
        event.setRequestContext(context);
        event.setRawPath(path);
        return event;
    }

    private static APIGatewayV2HTTPResponse handle(Function<ApiRequest, ApiResponse> api) {
        return ApiGateway.handle(event("POST", "/v1/events"), null, api);
    }

    private static JsonNode errorOf(APIGatewayV2HTTPResponse response) throws Exception {
        JsonNode body = PLAIN.readTree(response.getBody());
        assertThat(fieldNames(body)).containsExactly("error");
        return body.get("error");
    }

    @Test
    void anUnknownRouteIsA404WithTheErrorShape() throws Exception {
        Router router = new Router().route("GET", "/v1/workspaces/{ws}", (r, p) -> ApiResponse.noContent());

        APIGatewayV2HTTPResponse response = ApiGateway.handle(event("GET", "/v1/nowhere"), null, router::dispatch);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).containsEntry("content-type", "application/json; charset=utf-8");
        JsonNode error = errorOf(response);
        assertThat(fieldNames(error)).containsExactly("code", "message");
        assertThat(error.get("code").asText()).isEqualTo("not_found");
        assertThat(error.get("message").asText()).contains("/v1/nowhere");
    }

    @Test
    void aKnownRouteWithAnotherMethodIsA405WithAnAllowHeader() throws Exception {
        Router router = new Router()
                .route("GET", "/v1/workspaces/{ws}", (r, p) -> ApiResponse.noContent())
                .route("DELETE", "/v1/workspaces/{ws}", (r, p) -> ApiResponse.noContent());

        APIGatewayV2HTTPResponse response = ApiGateway.handle(event("POST", "/v1/workspaces/casterly"), null, router::dispatch);

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("allow", "GET, DELETE")
                .containsEntry("content-type", "application/json; charset=utf-8");
        JsonNode error = errorOf(response);
        assertThat(fieldNames(error)).containsExactly("code", "message");
        assertThat(error.get("code").asText()).isEqualTo("method_not_allowed");
        assertThat(error.get("message").asText()).contains("POST", "GET, DELETE");
    }

    @Test
    void aForbiddenChangeOfOneFieldNamesIt() throws Exception {
        APIGatewayV2HTTPResponse response = handle(r -> {
            throw ApiException.forbidden("secret", "the admin key cannot set or read endpoint secrets");
        });

        assertThat(response.getStatusCode()).isEqualTo(403);
        JsonNode error = errorOf(response);
        assertThat(fieldNames(error)).containsExactly("code", "message", "field");
        assertThat(error.get("code").asText()).isEqualTo("forbidden");
        assertThat(error.get("field").asText()).isEqualTo("secret");
    }

    @Test
    void invalidInputIsA400NamingTheField() throws Exception {
        APIGatewayV2HTTPResponse response = handle(r -> {
            throw new InvalidInputException("events[1].event", "event must be 1 to 128 of A-Z a-z 0-9 _ . : -");
        });

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode error = errorOf(response);
        assertThat(fieldNames(error)).containsExactly("code", "message", "field");
        assertThat(error.get("code").asText()).isEqualTo("invalid_request");
        assertThat(error.get("message").asText()).isEqualTo("event must be 1 to 128 of A-Z a-z 0-9 _ . : -");
        assertThat(error.get("field").asText()).isEqualTo("events[1].event");
    }

    @Test
    void invalidInputOfTheWholeBodyHasNoField() throws Exception {
        APIGatewayV2HTTPResponse response = handle(r -> {
            throw new InvalidInputException(null, "body is not valid JSON (at byte 3)");
        });

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(fieldNames(errorOf(response))).containsExactly("code", "message");
    }

    @Test
    void aTooLargeBodyIsA413() throws Exception {
        APIGatewayV2HTTPResponse response = handle(r -> {
            throw new PayloadTooLargeException(256 * 1024);
        });

        assertThat(response.getStatusCode()).isEqualTo(413);
        JsonNode error = errorOf(response);
        assertThat(error.get("code").asText()).isEqualTo("payload_too_large");
        assertThat(error.get("message").asText()).isEqualTo("request body is larger than 256 KiB");
    }

    @Test
    void eachApiExceptionKeepsItsStatusAndCode() throws Exception {
        Map<ApiException, Integer> cases = Map.of(
                ApiException.unauthorized("missing Authorization header"), 401,
                ApiException.forbidden("the admin key cannot set secrets"), 403,
                ApiException.notFound("no such endpoint"), 404,
                ApiException.conflict("workspace id exists"), 409,
                ApiException.rateLimited("slow down"), 429);
        Map<Integer, String> codes = Map.of(401, "unauthorized", 403, "forbidden", 404, "not_found", 409, "conflict",
                429, "rate_limited");
        for (Map.Entry<ApiException, Integer> c : cases.entrySet()) {
            APIGatewayV2HTTPResponse response = handle(r -> {
                throw c.getKey();
            });

            assertThat(response.getStatusCode()).isEqualTo(c.getValue());
            JsonNode error = errorOf(response);
            assertThat(error.get("code").asText()).isEqualTo(codes.get(c.getValue()));
            assertThat(error.get("message").asText()).isEqualTo(c.getKey().getMessage());
        }
    }

    @Test
    void anUnexpectedFailureIsA500ThatRevealsNothing() throws Exception {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
        String secretish = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw at dev.signet.core.aws.DynamoConfigStore";

        APIGatewayV2HTTPResponse response = handle(r -> {
            throw new IllegalStateException(secretish, new RuntimeException("password=hunter2"));
        });

        assertThat(response.getStatusCode()).isEqualTo(500);
        JsonNode error = errorOf(response);
        assertThat(fieldNames(error)).containsExactly("code", "message");
        assertThat(error.get("code").asText()).isEqualTo("internal");
        assertThat(response.getBody()).doesNotContain("whsec_", "MfKQ9r8G", "hunter2", "IllegalStateException",
                "dev.signet", "DynamoConfigStore", "at ");
        assertThat(error.get("message").asText()).contains("local");
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("MfKQ9r8G", "hunter2")
                .contains("\"status\":500");
    }

    @Test
    void theRequestIsHandedOverWithLowerCaseHeadersAndTheRawBody() {
        APIGatewayV2HTTPEvent event = event("post", "/v1/events");
        event.setHeaders(Map.of("Authorization", "Bearer k", "Idempotency-Key", "abc"));
        event.setBody(Base64.getEncoder().encodeToString("{\"é\":1}".getBytes(StandardCharsets.UTF_8)));
        event.setIsBase64Encoded(true);
        AtomicReference<ApiRequest> seen = new AtomicReference<>();

        APIGatewayV2HTTPResponse response = ApiGateway.handle(event, null, r -> {
            seen.set(r);
            return ApiResponse.json(202, "{\"id\":\"evt_1\",\"deliveries\":0}");
        });

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(seen.get().method()).isEqualTo("POST");
        assertThat(seen.get().header("authorization")).isEqualTo("Bearer k");
        assertThat(seen.get().header("idempotency-key")).isEqualTo("abc");
        assertThat(seen.get().body()).isEqualTo("{\"é\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.getHeaders()).containsEntry("cache-control", "no-store");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
