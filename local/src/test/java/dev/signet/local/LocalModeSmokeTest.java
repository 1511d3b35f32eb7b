package dev.signet.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local mode holds together: the API answers through the API Gateway bridge, the tables and queues
 * look like template.yaml's, and the SQS event source treats batch item failures, retries, the
 * dead-letter queue and a redrive the way Lambda and SQS do.
 */
class LocalModeSmokeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private static final FakeDelivery delivery = new FakeDelivery();
    private static SignetStack stack;

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        Emulators emulators = Emulators.shared();
        long t1 = System.nanoTime();
        stack = SignetStack.builder()
                .emulators(emulators)
                .retrySchedule("1s,1s")
                .env("SIGNET_MAX_RECEIVES", "3")
                .visibilityTimeout(Duration.ofSeconds(1))
                .deliveryFunction((config, stores) -> delivery)
                .start();
        long t2 = System.nanoTime();
        // A second stack on the same emulators: what every further test class pays.
        try (SignetStack second = SignetStack.builder().emulators(emulators).start()) {
            long t3 = System.nanoTime();
            assertThat(second.resources().deliveryQueueUrl()).isNotEqualTo(stack.resources().deliveryQueueUrl());
            System.out.printf("local mode timings: shared emulators %d ms, first stack %d ms, next stack %d ms%n",
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void apiAnswersWithTheContractsErrorBody() {
        ApiClient.Reply management = stack.api().get("/v1/workspaces/x", null);
        assertThat(management.status()).isEqualTo(401);
        assertThat(management.json().at("/error/code").asText()).isEqualTo("unauthorized");
        assertThat(management.header("content-type")).startsWith("application/json");

        ApiClient.Reply ingest = stack.api().post("/v1/events", null, "{}");
        assertThat(ingest.status()).isEqualTo(401);
        assertThat(ingest.json().at("/error/code").asText()).isEqualTo("unauthorized");

        // A known route with another method, on either function: 405 and the methods it takes.
        ApiClient.Reply put = stack.api().send("PUT", "/v1/workspaces/x", null, Map.of(), null);
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("allow")).isEqualTo("GET, DELETE");
        ApiClient.Reply get = stack.api().get("/v1/events", null);
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.header("allow")).isEqualTo("POST");
        assertThat(get.json().at("/error/code").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void theApiDescriptionIsServedWithoutACredential() {
        ApiClient.Reply description = stack.api().get("/openapi.yaml", null);
        assertThat(description.status()).isEqualTo(200);
        assertThat(description.header("content-type")).startsWith("application/yaml");
        assertThat(description.body()).startsWith("openapi: 3.1.0").contains("\nwebhooks:\n");
        assertThat(stack.api().post("/openapi.yaml", null, "{}").header("allow")).isEqualTo("GET");
    }

    @Test
    void tablesHaveTheTemplatesKeysIndexesAndTtl() {
        var dynamo = stack.clients().dynamo();
        for (String name : List.of(stack.resources().configTable(), stack.resources().eventsTable())) {
            TableDescription table = dynamo.describeTable(b -> b.tableName(name)).table();
            assertThat(keys(table.keySchema())).containsExactly("pk:HASH", "sk:RANGE");
            assertThat(table.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
            var ttl = dynamo.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
            assertThat(ttl.attributeName()).isEqualTo("ttl");
            assertThat(ttl.timeToLiveStatusAsString()).isIn("ENABLED", "ENABLING");
        }
        TableDescription config = dynamo.describeTable(b -> b.tableName(stack.resources().configTable())).table();
        assertThat(config.globalSecondaryIndexes()).isEmpty();

        TableDescription events = dynamo.describeTable(b -> b.tableName(stack.resources().eventsTable())).table();
        Map<String, GlobalSecondaryIndexDescription> indexes = new java.util.HashMap<>();
        events.globalSecondaryIndexes().forEach(i -> indexes.put(i.indexName(), i));
        assertThat(indexes).containsOnlyKeys("by_workspace", "by_endpoint", "missed");
        assertThat(keys(indexes.get("by_workspace").keySchema())).containsExactly("gsi1pk:HASH", "gsi1sk:RANGE");
        assertThat(keys(indexes.get("by_endpoint").keySchema())).containsExactly("gsi2pk:HASH", "gsi2sk:RANGE");
        assertThat(keys(indexes.get("missed").keySchema())).containsExactly("gsi3pk:HASH", "gsi3sk:RANGE");
        assertThat(indexes.values()).allSatisfy(i -> assertThat(i.projection().projectionTypeAsString()).isEqualTo("INCLUDE"));
        for (String log : List.of("by_workspace", "by_endpoint")) {
            assertThat(indexes.get(log).projection().nonKeyAttributes()).as(log)
                    .containsExactlyInAnyOrderElementsOf(dev.signet.core.aws.EventsTable.LOG_INDEX_ATTRIBUTES);
        }
    }

    @Test
    void deliveriesQueueDeadLettersAfterTheConfiguredReceives() throws Exception {
        LocalResources r = stack.resources();
        Map<QueueAttributeName, String> attributes = stack.clients().sqs().getQueueAttributes(b -> b
                .queueUrl(r.deliveryQueueUrl()).attributeNames(QueueAttributeName.ALL)).attributes();
        JsonNode redrive = Json.parse(attributes.get(QueueAttributeName.REDRIVE_POLICY));
        assertThat(redrive.get("deadLetterTargetArn").asText()).isEqualTo(r.deadLetterQueueArn());
        assertThat(redrive.get("maxReceiveCount").asInt()).isEqualTo(stack.config().maxReceives()).isEqualTo(3);
        assertThat(stack.config().deadLetterQueueUrl()).isEqualTo(r.deadLetterQueueUrl());
        assertThat(attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("1");
        assertThat(stack.config().deliveryQueueUrl()).isEqualTo(r.deliveryQueueUrl());
    }

    @Test
    void eventSourceDeletesWhatSucceededAndKeepsWhatFailed() {
        String ok = "ok-" + System.nanoTime();
        String failed = "fail-" + System.nanoTime();
        String thrown = "throw-" + System.nanoTime();
        send(ok);
        send(failed);
        send(thrown);

        // A reported failure and a thrown exception both leave the message in the queue: it comes back.
        waitFor(() -> delivery.receiveCounts(failed).contains(2) && delivery.receiveCounts(thrown).contains(2),
                "the failed and the thrown message to be received a second time");
        assertThat(delivery.receiveCounts(failed)).startsWith(1, 2);
        assertThat(delivery.receiveCounts(thrown)).startsWith(1, 2);
        // The successful one was deleted after its first invocation: it never came back, though more
        // than a visibility timeout has passed.
        assertThat(delivery.receiveCounts(ok)).containsExactly(1);

        SQSEvent.SQSMessage m = delivery.first(ok);
        assertThat(m.getEventSource()).isEqualTo("aws:sqs");
        assertThat(m.getEventSourceArn()).isEqualTo(stack.resources().deliveryQueueArn());
        assertThat(m.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(m.getMessageId()).isNotBlank();
        assertThat(m.getReceiptHandle()).isNotBlank();
        assertThat(m.getMd5OfBody()).isNotBlank();
        assertThat(m.getAttributes()).containsKeys("ApproximateReceiveCount", "SentTimestamp", "SenderId",
                "ApproximateFirstReceiveTimestamp");
    }

    /** Whether the queue holds a message with this body (received with visibility 0: nothing is hidden). */
    private static boolean holds(String queueUrl, String body) {
        return stack.clients().sqs().receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(0))
                .messages().stream().anyMatch(m -> m.body().equals(body));
    }

    @Test
    void aMessageFailingEveryInvocationReachesTheDeadLetterQueueAfterMaxReceivesAndARedriveStartsItsCountAgain() {
        // The safety net behind Signet's own accounting: SQS's RedrivePolicy (maxReceiveCount).
        String dead = "fail-dead-" + System.nanoTime();
        LocalResources r = stack.resources();
        int maxAttempts = stack.config().maxReceives();
        send(dead);

        waitFor(() -> holds(r.deadLetterQueueUrl(), dead), "the message to reach the dead-letter queue");
        assertThat(delivery.receiveCounts(dead)).containsExactly(1, 2, 3).hasSize(maxAttempts);

        // What an operator's redrive does (README, "What a delivery looks like"): move the dead letters back to the deliveries queue.
        stack.clients().sqs().startMessageMoveTask(b -> b.sourceArn(r.deadLetterQueueArn()).destinationArn(r.deliveryQueueArn()));
        waitFor(() -> delivery.receiveCounts(dead).size() > maxAttempts, "the redriven message to be received");
        // The redriven message starts again at ApproximateReceiveCount 1: a fresh schedule of attempts.
        assertThat(delivery.receiveCounts(dead).get(maxAttempts)).isEqualTo(1);
    }

    @Test
    void bridgeBuildsThePayloadFormat2Event() {
        AtomicReference<APIGatewayV2HTTPEvent> seen = new AtomicReference<>();
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> capture = (event, context) -> {
            seen.set(event);
            assertThat(context.getRemainingTimeInMillis()).isPositive();
            return APIGatewayV2HTTPResponse.builder().withStatusCode(201)
                    .withHeaders(Map.of("content-type", "application/octet-stream"))
                    .withBody(Base64.getEncoder().encodeToString(new byte[] {1, 2, (byte) 0xff}))
                    .withIsBase64Encoded(true).build();
        };
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> failing = (event, context) -> {
            throw new IllegalStateException("boom with internals");
        };
        try (ApiGatewayBridge bridge = ApiGatewayBridge.bind(0).start(failing, capture)) {
            ApiClient api = new ApiClient(bridge.baseUrl());
            ApiClient.Reply reply = api.send("PUT", "/v1/things/a%20b?x=1&x=2&y=%C3%A9", "tok",
                    Map.of("X-Multi", "a", "Cookie", "c1=v1; c2=v2"), new byte[] {(byte) 0xc3, (byte) 0x28});
            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.body().getBytes(StandardCharsets.ISO_8859_1)).isNotEmpty();

            APIGatewayV2HTTPEvent e = seen.get();
            assertThat(e.getVersion()).isEqualTo("2.0");
            assertThat(e.getRawPath()).isEqualTo("/v1/things/a%20b");
            assertThat(e.getRawQueryString()).isEqualTo("x=1&x=2&y=%C3%A9");
            assertThat(e.getQueryStringParameters()).containsEntry("x", "1,2").containsEntry("y", "\u00e9");
            assertThat(e.getHeaders()).containsEntry("authorization", "Bearer tok").containsEntry("x-multi", "a")
                    .doesNotContainKey("cookie");
            assertThat(e.getHeaders().keySet()).allSatisfy(k -> assertThat(k).isLowerCase());
            assertThat(e.getCookies()).containsExactly("c1=v1", "c2=v2");
            assertThat(e.getIsBase64Encoded()).isTrue();
            assertThat(Base64.getDecoder().decode(e.getBody())).containsExactly((byte) 0xc3, (byte) 0x28);
            assertThat(e.getRequestContext().getHttp().getMethod()).isEqualTo("PUT");
            assertThat(e.getRequestContext().getHttp().getSourceIp()).isEqualTo("127.0.0.1");
            assertThat(e.getRequestContext().getRequestId()).isNotBlank();
            assertThat(e.getRequestContext().getTimeEpoch()).isPositive();

            api.post("/v1/things", null, "{\"text\":\"h\u00e9\"}");
            assertThat(seen.get().getIsBase64Encoded()).isFalse();
            assertThat(seen.get().getBody()).isEqualTo("{\"text\":\"h\u00e9\"}");

            ApiClient.Reply crashed = api.post("/v1/events", null, "{}");
            assertThat(crashed.status()).isEqualTo(500);
            assertThat(crashed.json().at("/error/code").asText()).isEqualTo("internal");
            assertThat(crashed.body()).doesNotContain("boom", "IllegalStateException", "at dev.");

            ApiClient.Reply tooLarge = api.send("POST", "/v1/events", null, Map.of(),
                    new byte[ApiGatewayBridge.MAX_BODY_BYTES + 1]);
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.json().at("/error/code").asText()).isEqualTo("payload_too_large");
        }
    }

    private static void send(String body) {
        stack.clients().sqs().sendMessage(b -> b.queueUrl(stack.resources().deliveryQueueUrl()).messageBody(body));
    }

    private static List<String> keys(List<KeySchemaElement> schema) {
        return schema.stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList();
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DEADLINE.toSeconds() + " s waiting for " + what
                        + "; the fake delivery function saw (body#ApproximateReceiveCount) " + delivery.summary());
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Stands in for the delivery function: by the message body, succeeds ({@code ok-}), reports a batch
     * item failure ({@code fail-}) or throws ({@code throw-}); records every message it is given.
     */
    static final class FakeDelivery implements RequestHandler<SQSEvent, SQSBatchResponse> {
        final Queue<SQSEvent.SQSMessage> seen = new ConcurrentLinkedQueue<>();

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            List<SQSBatchResponse.BatchItemFailure> failures = new java.util.ArrayList<>();
            boolean crash = false;
            for (SQSEvent.SQSMessage m : event.getRecords()) {
                seen.add(m);
                if (m.getBody().startsWith("fail-")) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(m.getMessageId()));
                }
                crash |= m.getBody().startsWith("throw-");
            }
            if (crash) {
                throw new IllegalStateException("the fake delivery function crashes on purpose");
            }
            return new SQSBatchResponse(failures);
        }

        List<Integer> receiveCounts(String body) {
            return seen.stream().filter(m -> m.getBody().equals(body))
                    .map(m -> Integer.parseInt(m.getAttributes().get("ApproximateReceiveCount"))).toList();
        }

        List<String> summary() {
            return seen.stream().map(m -> m.getBody() + "#" + m.getAttributes().get("ApproximateReceiveCount")).toList();
        }

        SQSEvent.SQSMessage first(String body) {
            return seen.stream().filter(m -> m.getBody().equals(body)).findFirst().orElseThrow();
        }
    }
}
