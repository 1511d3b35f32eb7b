package dev.signet.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.signet.core.event.DeliveryJob;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixtures in events/ are events Lambda could really send: they bind to the aws-lambda-java-events
 * classes the handlers take, and carry the fields the handlers and the local runner read.
 */
class SampleEventsParseTest {
    static final Path EVENTS = TemplateIsValidSamTest.ROOT.resolve("events");

    /**
     * Lenient, as Lambda's own serializer is: unknown fields are ignored, and names match without case
     * (the events classes are beans named {@code records}, {@code eventSourceArn}; Lambda sends
     * {@code Records}, {@code eventSourceARN}).
     */
    static final ObjectMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .build();

    static final String SEED_PAYLOAD = "{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"account_id\":\"acc_casterly\","
            + "\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,\"completed_at\":\"2026-04-17T18:22:00Z\"}";
    static final String SEED_EVENT = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\",\"payload\":"
            + SEED_PAYLOAD + "}";

    @Test
    void ingestEventIsAnHttpApiPostOfTheSeedEvent() throws IOException {
        APIGatewayV2HTTPEvent e = read("apigw-post-event.json", APIGatewayV2HTTPEvent.class);
        assertHttpApiRequest(e, "POST", "/v1/events", "POST /v1/events", "Bearer ${INGEST_KEY}");
        assertThat(e.getBody()).isEqualTo(SEED_EVENT);
    }

    @Test
    void batchEventHasOneValidAndOneInvalidEvent() throws IOException {
        APIGatewayV2HTTPEvent e = read("apigw-post-event-batch.json", APIGatewayV2HTTPEvent.class);
        assertHttpApiRequest(e, "POST", "/v1/events/batch", "POST /v1/events/batch", "Bearer ${INGEST_KEY}");
        JsonNode events = LENIENT.readTree(e.getBody()).get("events");
        assertThat(events.size()).isEqualTo(2);
        assertThat(LENIENT.writeValueAsString(events.get(0))).isEqualTo(SEED_EVENT);
        assertThat(events.get(1).has("event")).as("the second event lacks `event`").isFalse();
        assertThat(events.get(1).get("payload").isObject()).isTrue();
    }

    @Test
    void createWorkspaceEventIsAnAdminPost() throws IOException {
        APIGatewayV2HTTPEvent e = read("apigw-create-workspace.json", APIGatewayV2HTTPEvent.class);
        // The template routes ANY /v1/workspaces to the management function, so that is the route key.
        assertHttpApiRequest(e, "POST", "/v1/workspaces", "ANY /v1/workspaces", "Bearer ${ADMIN_KEY}");
        JsonNode body = LENIENT.readTree(e.getBody());
        assertThat(body.get("name").asText()).isEqualTo("Casterly");
        assertThat(body.get("id").asText()).isEqualTo("casterly");
    }

    @Test
    void deliveryEventIsAnSqsBatchOfOneDeliveryJob() throws IOException {
        SQSEvent e = read("sqs-delivery.json", SQSEvent.class);
        assertThat(e.getRecords()).hasSize(1);
        SQSEvent.SQSMessage m = e.getRecords().get(0);
        assertThat(m.getMessageId()).isNotBlank();
        assertThat(m.getReceiptHandle()).isNotBlank();
        assertThat(m.getEventSource()).isEqualTo("aws:sqs");
        assertThat(m.getEventSourceArn()).startsWith("arn:aws:sqs:" + m.getAwsRegion() + ":").endsWith(":signet-deliveries");
        assertThat(m.getMessageAttributes()).isEmpty();
        assertThat(m.getMd5OfBody()).matches("[0-9a-f]{32}");
        assertThat(m.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp", "SenderId");
        long sent = Long.parseLong(m.getAttributes().get("SentTimestamp"));
        assertThat(Long.parseLong(m.getAttributes().get("ApproximateFirstReceiveTimestamp"))).isGreaterThanOrEqualTo(sent);

        assertThat(m.getBody()).isEqualTo("{\"v\":1,\"workspace_id\":\"casterly\",\"gen\":\"${GENERATION}\",\"endpoint_id\":\"${ENDPOINT_ID}\","
                + "\"event_id\":\"evt_01JSAMPLE0000000000000000\",\"event\":\"order.completed\",\"created_at\":\"2026-04-17T18:22:00Z\","
                + "\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\",\"payload\":" + SEED_PAYLOAD + "}");
        DeliveryJob job = DeliveryJob.fromMessageBody(m.getBody().replace("${ENDPOINT_ID}", "ep_test").replace("${GENERATION}", "g_test"));
        assertThat(job.workspaceId()).isEqualTo("casterly");
        assertThat(job.endpointId()).isEqualTo("ep_test");
        assertThat(job.generation()).isEqualTo("g_test");
        assertThat(job.eventId()).isEqualTo("evt_01JSAMPLE0000000000000000");
        assertThat(job.eventCreatedAt()).isEqualTo(Instant.parse("2026-04-17T18:22:00Z"));
        assertThat(job.payload()).as("the payload, byte for byte").isEqualTo(SEED_PAYLOAD);
    }

    @Test
    void fixturesUseTheNamesLambdaSends() throws IOException {
        // Case-insensitive binding would hide a misspelt key; the raw trees must use Lambda's exact names.
        JsonNode sqs = LENIENT.readTree(EVENTS.resolve("sqs-delivery.json").toFile());
        assertThat(sqs.has("Records")).isTrue();
        assertThat(sqs.get("Records").get(0).has("eventSourceARN")).isTrue();
        for (String file : List.of("apigw-post-event.json", "apigw-post-event-batch.json", "apigw-create-workspace.json")) {
            JsonNode http = LENIENT.readTree(EVENTS.resolve(file).toFile());
            assertThat(http.fieldNames()).toIterable().as(file)
                    .contains("version", "routeKey", "rawPath", "rawQueryString", "headers", "requestContext", "body", "isBase64Encoded");
            assertThat(http.get("headers").fieldNames()).toIterable().as("%s header names are lower case", file)
                    .allSatisfy(name -> assertThat(name).isLowerCase());
        }
    }

    @Test
    void readmeDescribesEveryFixtureAndPlaceholder() throws IOException {
        String readme = Files.readString(EVENTS.resolve("README.md"));
        try (Stream<Path> files = Files.list(EVENTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                assertThat(readme).as("events/README.md mentions %s", file.getFileName()).contains("`" + file.getFileName() + "`");
                Set<String> placeholders = new TreeSet<>();
                Matcher m = Pattern.compile("\\$\\{[A-Z_]+}").matcher(Files.readString(file));
                while (m.find()) {
                    placeholders.add(m.group());
                }
                for (String placeholder : placeholders) {
                    assertThat(readme).as("events/README.md explains %s", placeholder).contains("`" + placeholder + "`");
                }
            }
        }
    }

    private static void assertHttpApiRequest(APIGatewayV2HTTPEvent e, String method, String path, String routeKey, String authorization) {
        assertThat(e.getVersion()).isEqualTo("2.0");
        assertThat(e.getRouteKey()).isEqualTo(routeKey);
        assertThat(e.getRawPath()).isEqualTo(path);
        assertThat(e.getRawQueryString()).isEmpty();
        assertThat(e.getIsBase64Encoded()).isFalse();
        assertThat(e.getRequestContext().getHttp().getMethod()).isEqualTo(method);
        assertThat(e.getRequestContext().getHttp().getPath()).isEqualTo(path);
        assertThat(e.getRequestContext().getHttp().getSourceIp()).isNotBlank();
        assertThat(e.getRequestContext().getRequestId()).isNotBlank();
        assertThat(e.getRequestContext().getRouteKey()).isEqualTo(routeKey);
        assertThat(e.getRequestContext().getTimeEpoch()).isPositive();
        assertThat(e.getHeaders())
                .containsEntry("authorization", authorization)
                .containsEntry("content-type", "application/json")
                .containsEntry("content-length", String.valueOf(e.getBody().getBytes(StandardCharsets.UTF_8).length));
        assertThat(e.getBody()).isNotBlank();
    }

    private static <T> T read(String file, Class<T> type) throws IOException {
        return LENIENT.readValue(EVENTS.resolve(file).toFile(), type);
    }
}
