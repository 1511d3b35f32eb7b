package dev.signet.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.log.Log;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.ingest.IngestHandler;
import dev.signet.core.aws.Stores;
import dev.signet.testkit.AwsRequestCounter;
import dev.signet.local.LocalLambdaContext;
import dev.signet.local.SignetStack;
import dev.signet.local.SqsEventSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS requests one delivered event costs, counted through the real SDK clients (an
 * {@link AwsRequestCounter} on the ingest function, the delivery function and the queue poller that
 * stands in for Lambda's event source mapping) against the emulators. These are the counts COST.md
 * prices; each test prints its tally. Warm functions: the endpoint and its secret come from the
 * delivery function's cache, so a warm delivery makes no Secrets Manager call and no config read.
 */
class AwsRequestsPerDeliveryTest {
    static SignetStack stack;
    static AwsRequestCounter counter;
    static IngestHandler ingest;
    static SqsEventSource poller;
    static TestReceiver receiver;
    static Tenant tenant;

    @BeforeAll
    static void start() throws Exception {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        stack = SignetStack.builder().retrySchedule("1s,1s").pollers(0).start();
        counter = new AwsRequestCounter(stack.resources().tables());
        AwsClients counted = AwsClients.forEmulators(stack.emulators().dynamoAndSecretsEndpoint(),
                stack.emulators().sqsEndpoint(), counter);
        Stores countedStores = Stores.from(stack.config(), counted, Clock.systemUTC());
        ingest = new IngestHandler(stack.config(), countedStores, Clock.systemUTC());
        DeliveryHandler delivery = new DeliveryHandler(stack.config(), countedStores, Clock.systemUTC());
        poller = new SqsEventSource(counted.sqs(), stack.resources().deliveryQueueUrl(), stack.resources().deliveryQueueArn(),
                delivery, "signet-delivery", Duration.ofSeconds(60), 1).start();
        receiver = new TestReceiver();
        tenant = Tenant.create(stack.api(), stack.adminKey(), "counted", Tenant.endpointFor(receiver.url()));
        // Warm up: the first delivery reads the endpoint and its secret into the delivery function's cache,
        // three answered deliveries tell the function the endpoint answers fast, and the fourth shares that
        // pace: later deliveries take no endpoint slot (the lease a slow endpoint's deliveries share, see
        // EndpointAdmission) and read nothing more.
        for (int i = 1; i <= 4; i++) {
            emit("/v1/events", Tenant.SEED_EVENT);
            awaitSettled(i, 2L * i);
        }
    }

    @AfterAll
    static void stop() {
        poller.close();
        receiver.close();
        stack.close();
        Log.redirect(System.out);
    }

    @Test
    void aWarmSingleEventToOneEndpointCostsTwoWritesTwoReadsAndThreeQueueRequests() throws Exception {
        int events = 5;
        counter.reset();
        for (int i = 0; i < events; i++) {
            emit("/v1/events", Tenant.SEED_EVENT);
            awaitSettled(i + 1, 2 * (i + 1));
        }
        print("single events, 1 endpoint, warm", events);

        assertThat(counter.calls("Secrets Manager")).isZero();
        // ingest: the ingest key (GetItem) and the workspace's endpoints (Query); delivery: no config read
        assertThat(counter.get("DynamoDB.GetItem")).isEqualTo(events);
        assertThat(counter.get("DynamoDB.Query")).isEqualTo(events);
        // the event, then the attempt
        assertThat(counter.get("DynamoDB.PutItem")).isEqualTo(2L * events);
        // one delivery invocation per event here (each awaited before the next): one statistics write each
        assertThat(statsWrites()).isEqualTo(events);
        long autoDisableRefresh = autoDisableRefreshes();
        assertThat(counter.calls("DynamoDB")).isEqualTo(5L * events + autoDisableRefresh);
        // the seed event (~0.3 KiB): 1 WRU for the event, 3 for the attempt (its table and two indexes),
        // 1 for the invocation's endpoint statistics
        assertThat(counter.writeUnits()).isEqualTo(5L * events + autoDisableRefresh);
        assertThat(counter.get("SQS.SendMessageBatch")).isEqualTo(events);
        assertThat(nonEmptyReceives()).isEqualTo(events);
        assertThat(counter.get("SQS.DeleteMessageBatch")).isEqualTo(events);
        assertThat(counter.get("SQS.ChangeMessageVisibility")).isZero();
    }

    @Test
    void aBatchOfTenEventsSharesOneKeyLookupOneQueryOneEventWriteCallAndOneSend() throws Exception {
        counter.reset();
        StringJoiner batch = new StringJoiner(",", "{\"events\":[", "]}");
        for (int i = 0; i < 10; i++) {
            batch.add(Tenant.SEED_EVENT);
        }
        emit("/v1/events/batch", batch.toString());
        awaitSettled(10, 20);
        print("one batch of 10 events, 1 endpoint, warm", 10);

        assertThat(counter.calls("Secrets Manager")).isZero();
        assertThat(counter.get("DynamoDB.GetItem")).isEqualTo(1);
        assertThat(counter.get("DynamoDB.Query")).isEqualTo(1);
        assertThat(counter.get("DynamoDB.BatchWriteItem")).isEqualTo(1);
        assertThat(counter.get("DynamoDB.PutItem")).isEqualTo(10);
        assertThat(counter.get("DynamoDB:items written")).isEqualTo(20);
        // endpoint statistics: one write per delivery invocation for the one endpoint, however many
        // attempts it settled (10 per invocation at full batches: 0.1 WRU per delivery)
        assertThat(statsWrites()).isEqualTo(nonEmptyReceives());
        assertThat(counter.writeUnits()).isEqualTo(40 + statsWrites() + autoDisableRefreshes());
        assertThat(counter.get("SQS.SendMessageBatch")).isEqualTo(1);
        assertThat(counter.get("SQS:messages received")).isEqualTo(10);
        // how the poller's receives split the ten depends on timing; never more than one per message
        assertThat(nonEmptyReceives()).isBetween(1L, 10L);
        assertThat(counter.get("SQS.DeleteMessageBatch")).isEqualTo(nonEmptyReceives());
        assertThat(counter.get("SQS.ChangeMessageVisibility")).isZero();
    }

    @Test
    void aFailedAttemptAddsOneAttemptWriteTheNextAttemptsMessageAndOneReceive() throws Exception {
        int before = receiver.requests().size();
        failOnceThenSucceed(TestReceiver.Reply.status(500), "single event, first attempt fails, second succeeds");
        assertThat(receiver.requests()).hasSize(before + 2);
        assertThat(counter.calls("Secrets Manager")).isZero();
        assertThat(counter.get("DynamoDB.PutItem")).isEqualTo(3);
        // + 2: auto-disable's failing streak starts (UpdateItem failing_since) and ends with the success (REMOVE);
        // + 2: each of the two delivery invocations writes its endpoint statistics
        assertThat(counter.get("DynamoDB:updates " + stack.config().configTable())).isEqualTo(2);
        assertThat(statsWrites()).isEqualTo(2);
        assertThat(counter.writeUnits()).isEqualTo(1 + 3 + 3 + 2 + 2);
        // The retry is a new message carrying attempt 2, sent with its delay; the worker deletes the received
        // one at once and reports it to the event source as not to delete, so only the delivered one is.
        assertThat(counter.get("SQS.SendMessage")).isEqualTo(1);
        assertThat(counter.get("SQS.DeleteMessage")).isEqualTo(1);
        assertThat(counter.get("SQS.ChangeMessageVisibility")).isZero();
        assertThat(nonEmptyReceives()).isEqualTo(2);
        assertThat(counter.get("SQS.DeleteMessageBatch")).isEqualTo(1);
    }

    /**
     * A receiver that fails with a long error page: the attempt stores its first 4 KiB in the table
     * (5 WRU), but the two delivery-log indexes copy only the list's attributes (1 WRU each), not the
     * body: 7 WRU for that attempt, where indexes projecting everything made it 15.
     */
    @Test
    void aFailedAttemptWithALongResponseBodyCostsSevenWriteUnitsNotFifteen() throws Exception {
        String errorPage = "<html>" + "upstream unavailable ".repeat(300) + "</html>"; // ~6 KiB, stored cut to 4 KiB
        failOnceThenSucceed(new TestReceiver.Reply(503, Map.of(), errorPage),
                "single event, first attempt fails with a 6 KiB error page, second succeeds");
        String table = stack.config().eventsTable();
        // The event (1) and the two attempts: 5 + 1 for the failed one's table item (4 KiB body) and the
        // succeeded one's (1); one WRU per attempt in each index.
        assertThat(counter.get("DynamoDB:WRU " + table + " (base table)")).isEqualTo(1 + 5 + 1);
        assertThat(counter.get("DynamoDB:WRU " + table + "/by_workspace")).isEqualTo(2);
        assertThat(counter.get("DynamoDB:WRU " + table + "/by_endpoint")).isEqualTo(2);
        // auto-disable's streak starts and ends; each delivery invocation writes its endpoint statistics
        assertThat(counter.get("DynamoDB:updates " + stack.config().configTable())).isEqualTo(2);
        assertThat(statsWrites()).isEqualTo(2);
        assertThat(counter.writeUnits()).isEqualTo(1 + (5 + 1 + 1) + (1 + 1 + 1) + 2 + 2);
    }

    /** Counts one event from a fresh tally whose first attempt gets {@code failure} and whose retry gets a 200. */
    private static void failOnceThenSucceed(TestReceiver.Reply failure, String scenario) {
        int before = receiver.requests().size();
        receiver.answering(n -> n == before + 1 ? failure : TestReceiver.Reply.status(200));
        try {
            counter.reset();
            emit("/v1/events", Tenant.SEED_EVENT);
            awaitSettled(2, 3); // deleted: the replaced message (by the worker) and the delivered one (by the event source)
            print(scenario, 1);
        } finally {
            receiver.answering(n -> TestReceiver.Reply.status(200));
        }
    }

    /** Waits until {@code deleted} messages were deleted and {@code written} items written since the last reset. */
    private static void awaitSettled(long deleted, long written) {
        Eventually.get(Duration.ofSeconds(30),
                () -> counter.get("SQS:messages deleted") >= deleted && counter.get("DynamoDB:items written") >= written,
                done -> done);
        assertThat(counter.get("SQS:messages deleted")).as("%s", counter.snapshot()).isGreaterThanOrEqualTo(deleted);
    }

    /**
     * Auto-disable confirms a healthy endpoint's state (one UpdateItem) at most once per cache TTL per
     * endpoint and instance: zero here unless the TTL ran out since the previous delivery.
     */
    private static long autoDisableRefreshes() {
        long n = counter.get("DynamoDB:updates " + stack.config().configTable());
        assertThat(n).isLessThanOrEqualTo(1);
        return n;
    }

    /** Endpoint statistics written (UpdateItem ADD on the events table): one per endpoint-hour per delivery invocation. */
    private static long statsWrites() {
        return counter.get("DynamoDB:updates " + stack.config().eventsTable());
    }

    private static long nonEmptyReceives() {
        return counter.get("SQS.ReceiveMessage") - counter.get("SQS:empty receives");
    }

    private static void emit(String path, String body) {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRawPath(path)
                .withHeaders(Map.of("authorization", "Bearer " + tenant.ingestKey(), "content-type", "application/json"))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse response = ingest.handleRequest(event, new LocalLambdaContext("signet-ingest", Duration.ofSeconds(15)));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    }

    private static void print(String scenario, int events) {
        StringBuilder s = new StringBuilder("AWS requests, " + scenario + " (" + events + " event(s)):\n");
        counter.snapshot().forEach((k, v) -> {
            if (!k.contains("empty receives")) {
                s.append(String.format("  %-45s %6d  (%.2f per event)%n", k, v, v / (double) events));
            }
        });
        s.append(String.format("  %-45s %6d%n", "SQS:empty receives (poller idle, not per event)", counter.get("SQS:empty receives")));
        System.out.print(s);
    }
}
