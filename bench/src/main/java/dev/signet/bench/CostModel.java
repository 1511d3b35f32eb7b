package dev.signet.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.sun.net.httpserver.HttpServer;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.ingest.IngestHandler;
import dev.signet.local.ApiClient;
import dev.signet.core.aws.Stores;
import dev.signet.testkit.AwsRequestCounter;
import dev.signet.local.LocalLambdaContext;
import dev.signet.local.SignetStack;
import dev.signet.local.SqsEventSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cost model of COST.md, measured: runs the ingest and delivery functions in local mode on SDK
 * clients with an {@link AwsRequestCounter} (the same counter the test of the request counts uses),
 * times every handler invocation, counts log and outbound bytes, and prices the result per million
 * delivered events at the list prices below, for several payload sizes, ingest batching, and the
 * marginal cost of a failed attempt.
 *
 * <p>Usage: {@code scripts/bench cost-model}.
 */
public final class CostModel {
    // AWS list prices, us-east-1 (see COST.md for the date and pages).
    static final double API_PER_M = 1.00;             // HTTP API, per million requests (first 300 M)
    static final double LAMBDA_REQ_PER_M = 0.20;      // per million invocations
    static final double LAMBDA_GBS = 0.0000133334;    // arm64, per GB-second (first 7.5 billion GB-s)
    static final double SQS_PER_M = 0.40;             // standard queue, per million requests (64 KiB chunks)
    static final double WRU_PER_M = 0.625;            // DynamoDB on-demand write request units
    static final double RRU_PER_M = 0.125;            // DynamoDB on-demand read request units
    static final double SECRETS_PER_10K = 0.05;       // Secrets Manager API calls
    static final double LOGS_PER_GB = 0.50;           // CloudWatch Logs ingestion
    static final double EGRESS_PER_GB = 0.09;         // data transfer out to the internet (after the first 100 GB)
    static final double MEMORY_GB = 1.0;              // template.yaml MemorySize 1024
    /** Lambda's own START, END and REPORT lines per invocation in JSON log format (estimate). */
    static final int PLATFORM_LOG_BYTES = 700;

    record Scenario(String name, int payloadBytes, int eventsPerRequest, int events, boolean failFirst) {
    }

    public static void main(String[] args) throws Exception {
        List<Scenario> scenarios = List.of(
                new Scenario("1 KiB, one event per request", 1024, 1, 40, false),
                new Scenario("1 KiB, 10 events per batch request", 1024, 10, 200, false),
                new Scenario("1 KiB, 100 events per batch request", 1024, 100, 400, false),
                new Scenario("64 KiB, one event per request", 65536, 1, 20, false),
                new Scenario("64 KiB, 3 events per batch request", 65536, 3, 30, false),
                new Scenario("1 KiB, first attempt fails (500), second succeeds", 1024, 1, 20, true));
        ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
        Log.redirect(new PrintStream(logBytes, true, StandardCharsets.UTF_8));

        LongAdder receivedBytes = new LongAdder();
        AtomicInteger failNext = new AtomicInteger();
        java.util.Set<String> failedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
        boolean[] failMode = {false};
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/", ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            long headerBytes = 0;
            for (var h : ex.getRequestHeaders().entrySet()) {
                for (String v : h.getValue()) {
                    headerBytes += h.getKey().length() + v.length() + 4;
                }
            }
            receivedBytes.add(body.length + headerBytes + 30); // + request line
            String id = ex.getRequestHeaders().getFirst("webhook-id");
            boolean fail = failMode[0] && failedOnce.add(id);
            if (fail) {
                failNext.incrementAndGet();
            }
            ex.sendResponseHeaders(fail ? 500 : 204, -1);
            ex.close();
        });
        receiver.start();

        List<Double> ingestMs = Collections.synchronizedList(new ArrayList<>());
        List<Double> deliveryMs = Collections.synchronizedList(new ArrayList<>());
        try (SignetStack stack = SignetStack.builder().retrySchedule("1s,1s").pollers(0).start()) {
            AwsRequestCounter counter = new AwsRequestCounter(stack.resources().tables());
            AwsClients counted = AwsClients.forEmulators(stack.emulators().dynamoAndSecretsEndpoint(), stack.emulators().sqsEndpoint(), counter);
            Stores countedStores = Stores.from(stack.config(), counted, Clock.systemUTC());
            IngestHandler ingest = new IngestHandler(stack.config(), countedStores, Clock.systemUTC());
            DeliveryHandler real = new DeliveryHandler(stack.config(), countedStores, Clock.systemUTC());
            RequestHandler<SQSEvent, SQSBatchResponse> delivery = (event, context) -> {
                long t = System.nanoTime();
                SQSBatchResponse r = real.handleRequest(event, context);
                deliveryMs.add((System.nanoTime() - t) / 1e6);
                return r;
            };
            try (SqsEventSource poller = new SqsEventSource(counted.sqs(), stack.resources().deliveryQueueUrl(),
                    stack.resources().deliveryQueueArn(), delivery, "signet-delivery", Duration.ofSeconds(60), 1).start()) {
                ApiClient api = stack.api();
                String ingestKey = api.post("/v1/workspaces", stack.adminKey(), "{\"name\":\"Cost\",\"id\":\"cost\"}").text("ingest_key");
                String session = api.post("/v1/workspaces/cost/sessions", stack.adminKey(), "{}").text("token");
                api.post("/v1/workspaces/cost/endpoints", session, "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks\"}");

                System.out.printf("cost model: Lambda arm64 %.0f MB, us-east-1 list prices; per million delivered events, 1 endpoint per event, warm functions%n",
                        MEMORY_GB * 1024);
                System.out.printf("%-52s %6s %6s %6s %6s %7s %6s %6s %6s %6s %6s | %6s %7s %7s %6s %6s %6s %6s %6s | %7s%n",
                        "scenario (per event:)", "req", "ingMs", "inv", "dlvMs", "SQS", "WRU", "RRU", "SM", "logKB", "outKB",
                        "API$", "Lambda$", "SQS$", "DDB$", "SM$", "Logs$", "Out$", "", "total$");
                boolean first = true;
                for (Scenario s : scenarios) {
                    // warm up this shape once, uncounted (JIT, caches, connections)
                    failMode[0] = false;
                    emit(ingest, ingestKey, s.payloadBytes, s.eventsPerRequest, s.eventsPerRequest);
                    awaitIdle(counter, first ? 5_000 : 2_000);
                    first = false;
                    failMode[0] = s.failFirst;
                    counter.reset();
                    ingestMs.clear();
                    deliveryMs.clear();
                    logBytes.reset();
                    receivedBytes.reset();
                    long t0 = System.nanoTime();
                    emit(ingest, ingestKey, s.payloadBytes, s.eventsPerRequest, s.events, ingestMs);
                    long expectedDeletes = s.events;
                    while (counter.get("SQS:messages deleted") < expectedDeletes) {
                        if (System.nanoTime() - t0 > 120_000_000_000L) {
                            throw new IllegalStateException(s.name + ": not delivered in 120 s: " + counter.snapshot());
                        }
                        Thread.sleep(10);
                    }
                    Thread.sleep(200);
                    report(s, counter, ingestMs, deliveryMs, logBytes.size(), receivedBytes.sum());
                }
            }
        } finally {
            receiver.stop(0);
            Log.redirect(System.out);
        }
        System.out.println("Delivery durations are with a loopback receiver answering at once; a receiver answering in r ms adds");
        System.out.printf("r / (messages per batch) ms of delivery Lambda per event: $%.3f per million events per 100 ms at batches of 1.%n",
                0.1 * MEMORY_GB * LAMBDA_GBS * 1e6);
    }

    private static void awaitIdle(AwsRequestCounter counter, long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private static void emit(IngestHandler ingest, String key, int payloadBytes, int perRequest, int total) {
        emit(ingest, key, payloadBytes, perRequest, total, new ArrayList<>());
    }

    private static void emit(IngestHandler ingest, String key, int payloadBytes, int perRequest, int total, List<Double> durations) {
        String event = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_1\",\"payload\":"
                + orderPayload(payloadBytes) + "}";
        StringBuilder batch = new StringBuilder("{\"events\":[");
        for (int i = 0; i < perRequest; i++) {
            batch.append(i == 0 ? "" : ",").append(event);
        }
        String body = perRequest == 1 ? event : batch.append("]}").toString();
        String path = perRequest == 1 ? "/v1/events" : "/v1/events/batch";
        for (int sent = 0; sent < total; sent += perRequest) {
            APIGatewayV2HTTPEvent request = APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRawPath(path)
                    .withHeaders(Map.of("authorization", "Bearer " + key, "content-type", "application/json"))
                    .withBody(body).withIsBase64Encoded(false)
                    .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                            .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").withPath(path).build()).build())
                    .build();
            long t = System.nanoTime();
            APIGatewayV2HTTPResponse r = ingest.handleRequest(request, new LocalLambdaContext("signet-ingest", Duration.ofSeconds(15)));
            durations.add((System.nanoTime() - t) / 1e6);
            if (r.getStatusCode() != 202 || (perRequest > 1 && r.getBody().contains("\"error\""))) {
                throw new IllegalStateException("ingest answered " + r.getStatusCode() + ": " + r.getBody());
            }
        }
    }

    private static final String[] WORDS = {"blue", "cotton", "shirt", "ceramic", "mug", "steel", "bottle", "wool", "socks", "leather",
        "wallet", "oak", "desk", "lamp", "linen", "towel", "glass", "vase", "canvas", "bag", "green", "large", "small", "classic"};

    /**
     * A JSON order of about {@code bytes} bytes: ids, amounts and line items drawn from a seeded random
     * source, as an e-commerce product would emit. Not a run of one repeated character: the events table
     * stores payloads deflated (StoredPayload), and a model must not bill a payload that compresses a
     * hundredfold. These deflate to 39 % of their size at 1 KiB and 17 % at 64 KiB (longer orders repeat
     * more); COST.md says what a payload that does not compress costs.
     */
    static String orderPayload(int bytes) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(bytes);
        StringBuilder s = new StringBuilder(bytes + 128);
        s.append("{\"order_id\":\"ord_").append(Long.toString(random.nextLong(1L << 40, 1L << 45), 36))
                .append("\",\"customer_id\":\"cus_").append(Long.toString(random.nextLong(1L << 40, 1L << 45), 36))
                .append("\",\"currency\":\"usd\",\"placed_at\":\"2026-04-17T18:22:").append(10 + random.nextInt(50)).append("Z\",\"items\":[");
        int total = 0;
        for (int i = 0; s.length() < bytes - 160; i++) {
            int qty = 1 + random.nextInt(4);
            int unit = 199 + random.nextInt(9800);
            total += qty * unit;
            s.append(i == 0 ? "" : ",").append("{\"sku\":\"sku_").append(10000 + random.nextInt(90000)).append("\",\"name\":\"")
                    .append(WORDS[random.nextInt(WORDS.length)]).append(' ').append(WORDS[random.nextInt(WORDS.length)])
                    .append("\",\"qty\":").append(qty).append(",\"unit_cents\":").append(unit)
                    .append(",\"tax_cents\":").append(unit * qty * 8 / 100).append('}');
        }
        s.append("],\"total_cents\":").append(total).append(",\"paid\":true,\"note\":\"");
        while (s.length() < bytes - 2) {
            String word = WORDS[random.nextInt(WORDS.length)];
            s.append(word, 0, Math.min(word.length(), bytes - 2 - s.length())).append(s.length() < bytes - 3 ? " " : "");
        }
        return s.append("\"}").toString();
    }

    private static void report(Scenario s, AwsRequestCounter c, List<Double> ingestMs, List<Double> deliveryMs,
                               long logBytes, long outBytes) {
        double n = s.events;
        double requests = n / s.eventsPerRequest;
        double ingestGbs = sum(ingestMs) / 1000 * MEMORY_GB;
        double deliveryGbs = sum(deliveryMs) / 1000 * MEMORY_GB;
        double invocations = requests + deliveryMs.size();
        double sqs = c.sqsBilledRequests() - c.get("SQS:empty receives");
        double wru = c.writeUnits();
        double rru = c.readUnits();
        double sm = c.calls("Secrets Manager");
        double logs = logBytes + PLATFORM_LOG_BYTES * invocations;

        double perM = 1e6 / n;
        double api = requests * perM * API_PER_M / 1e6;
        double lambda = (invocations * LAMBDA_REQ_PER_M / 1e6 + (ingestGbs + deliveryGbs) * LAMBDA_GBS) * perM;
        double sqsCost = sqs * SQS_PER_M / 1e6 * perM;
        double ddb = (wru * WRU_PER_M + rru * RRU_PER_M) / 1e6 * perM;
        double smCost = sm * SECRETS_PER_10K / 1e4 * perM;
        double logCost = logs / 1e9 * LOGS_PER_GB * perM;
        double out = outBytes / 1e9 * EGRESS_PER_GB * perM;
        double total = api + lambda + sqsCost + ddb + smCost + logCost + out;
        System.out.printf("%-52s %6.2f %6.1f %6.2f %6.1f %7.2f %6.2f %6.2f %6.2f %6.2f %6.1f | %6.2f %7.2f %7.2f %6.2f %6.2f %6.2f %6.2f %6s | %7.2f%n",
                s.name, requests / n, Stats.median(ingestMs), deliveryMs.size() / n, Stats.median(deliveryMs), sqs / n, wru / n, rru / n, sm / n,
                logs / n / 1024, outBytes / n / 1024, api, lambda, sqsCost, ddb, smCost, logCost, out, "", total);
    }

    private static double sum(List<Double> values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    static {
        Json.object(); // load Jackson before timing anything
    }
}
