package dev.signet.it;

import dev.signet.local.ApiClient;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.standardwebhooks.Webhook;
import dev.signet.core.json.Json;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.ingest.IngestHandler;
import dev.signet.management.ManagementHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The handler classes Lambda runs, invoked directly with the sample events in {@code events/} (the
 * same files {@code sam local invoke -e} takes), against the emulators.
 */
class HandlersAcceptSampleEventsTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");
    static final ObjectMapper LAMBDA_JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .build();

    static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    static String fixture(String name, Map<String, String> values) throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("events"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("events/ directory above the working directory").isNotNull();
        String text = Files.readString(dir.resolve("events").resolve(name));
        for (var e : values.entrySet()) {
            text = text.replace("${" + e.getKey() + "}", e.getValue());
        }
        return text;
    }

    @Test
    void theSampleEventsRunThroughTheManagementIngestAndDeliveryHandlers() throws Exception {
        ManagementHandler management = new ManagementHandler(signet.stack().config(), signet.stack().stores(), Clock.systemUTC());
        APIGatewayV2HTTPResponse created = management.handleRequest(LAMBDA_JSON.readValue(
                fixture("apigw-create-workspace.json", Map.of("ADMIN_KEY", signet.adminKey())), APIGatewayV2HTTPEvent.class), null);
        assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
        String ingestKey = Json.parse(created.getBody()).path("ingest_key").asText();

        // The portal's page, as API Gateway hands a browser's request for it to the same function.
        APIGatewayV2HTTPResponse page = management.handleRequest(LAMBDA_JSON.readValue(
                fixture("apigw-get-portal.json", Map.of()), APIGatewayV2HTTPEvent.class), null);
        assertThat(page.getStatusCode()).isEqualTo(200);
        assertThat(page.getHeaders()).containsEntry("content-type", "text/html; charset=utf-8");
        assertThat(page.getHeaders().get("content-security-policy")).contains("frame-ancestors 'none'");
        assertThat(page.getBody()).contains("<title>Webhooks</title>").contains("portal/portal.js?v=");

        ApiClient api = new ApiClient(signet.stack().baseUrl());
        String session = signet.api().post("/v1/workspaces/casterly/sessions", signet.adminKey(), "{}").text("token");
        ApiClient.Reply endpoint = signet.api().post("/v1/workspaces/casterly/endpoints", session, Tenant.endpointFor(receiver.url()));
        String endpointId = endpoint.text("id");
        String secret = endpoint.text("secret");

        IngestHandler ingest = new IngestHandler(signet.stack().config(), signet.stack().stores(), Clock.systemUTC());
        APIGatewayV2HTTPResponse accepted = ingest.handleRequest(LAMBDA_JSON.readValue(
                fixture("apigw-post-event.json", Map.of("INGEST_KEY", ingestKey)), APIGatewayV2HTTPEvent.class), null);
        assertThat(accepted.getStatusCode()).as(accepted.getBody()).isEqualTo(202);
        assertThat(Json.parse(accepted.getBody()).path("deliveries").asInt()).isEqualTo(1);

        APIGatewayV2HTTPResponse batch = ingest.handleRequest(LAMBDA_JSON.readValue(
                fixture("apigw-post-event-batch.json", Map.of("INGEST_KEY", ingestKey)), APIGatewayV2HTTPEvent.class), null);
        assertThat(batch.getStatusCode()).isEqualTo(202);
        var results = Json.parse(batch.getBody()).path("results");
        assertThat(results.get(0).path("id").asText()).startsWith("evt_");
        assertThat(results.get(1).path("error").path("field").asText()).isEqualTo("events[1].event");

        // The delivery handler, fed the sample SQS event directly (as Lambda would), signs and sends it.
        DeliveryHandler delivery = new DeliveryHandler(signet.stack().config(), signet.stack().stores(), Clock.systemUTC());
        SQSEvent sqs = LAMBDA_JSON.readValue(fixture("sqs-delivery.json",
                Map.of("ENDPOINT_ID", endpointId, "GENERATION", signet.generation("casterly"))), SQSEvent.class);
        SQSBatchResponse response = delivery.handleRequest(sqs, null);
        assertThat(response.getBatchItemFailures()).isEmpty();
        TestReceiver.Received got = Eventually.get(Duration.ofSeconds(20), receiver::requests,
                r -> r.stream().anyMatch(x -> x.header("webhook-id").equals("evt_01JSAMPLE0000000000000000"))).stream()
                .filter(x -> x.header("webhook-id").equals("evt_01JSAMPLE0000000000000000")).findFirst().orElseThrow();
        assertThatCode(() -> new Webhook(secret).verify(got.bodyText(), Map.of(
                "webhook-id", List.of(got.header("webhook-id")),
                "webhook-timestamp", List.of(got.header("webhook-timestamp")),
                "webhook-signature", List.of(got.header("webhook-signature"))))).doesNotThrowAnyException();
        assertThat(Json.parse(got.body()).path("data").path("order_id").asText()).isEqualTo("ord_lannister_77");
    }
}
