package dev.signet.it;

import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.Progress;
import dev.signet.core.log.Log;
import dev.signet.local.ApiClient;
import dev.signet.local.SignetStack;
import dev.signet.local.TemplatePolicies;
import dev.signet.testkit.AwsCallRecorder;
import dev.signet.testkit.AwsCallRecorder.Call;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege (SECURITY.md, "Each function may do only what it does"): the AWS calls each function
 * makes, recorded through its own SDK clients while every route and every delivery path runs once
 * (events single and batched with an Idempotency-Key, delivered, retried, dead-lettered, a 410, an
 * operator notification, the log, retry, recover, rotation, deletion), are held against the IAM
 * statements template.yaml gives that function, both ways: every call is allowed by a statement
 * (action, resource, conditions), and every action a statement allows on a resource was called there.
 * The queue pollers run on the delivery function's clients, as Lambda's event source mapping uses its role.
 */
class EachFunctionMayCallOnlyWhatItUsesTest {
    private static final Map<String, String> FUNCTIONS = Map.of("ingest", "IngestFunction", "delivery", "DeliveryFunction",
            "management", "ManagementFunction");
    /**
     * Allowed but never called in local mode: Lambda's event source mapping reads the queue's attributes
     * with the function's role (it checks the queue when the mapping is created), and local mode's
     * stand-in (SqsEventSource) has no need to.
     */
    private static final Set<String> CALLED_ONLY_IN_AWS = Set.of("DeliveryFunction sqs:GetQueueAttributes");
    private static final String SEED = Tenant.SEED_EVENT;

    static final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    static SignetStack stack;

    @BeforeAll
    static void start() {
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        stack = SignetStack.builder().retrySchedule("1s").env("SIGNET_MAX_ATTEMPTS", "2").env("SIGNET_OPERATOR_WORKSPACE", "ops")
                .env("SIGNET_CACHE_TTL_SECONDS", "1").adminKeyInSecretsManager()
                .awsInterceptors(function -> List.of(new AwsCallRecorder(function, calls))).start();
    }

    @AfterAll
    static void stop() {
        stack.close();
        Log.redirect(System.out);
    }

    @Test
    void everyCallIsAllowedAndEveryPermissionIsUsed() throws Exception {
        exerciseEveryRouteAndDeliveryPath();

        assertThat(TemplatePolicies.functions()).containsExactlyInAnyOrderElementsOf(FUNCTIONS.values());
        assertThat(AwsCallRecorder.functions(calls)).containsExactlyInAnyOrderElementsOf(FUNCTIONS.keySet());
        List<String> refused = new ArrayList<>();
        Set<String> unused = new TreeSet<>();
        for (var f : FUNCTIONS.entrySet()) {
            List<TemplatePolicies.Statement> policy = TemplatePolicies.of(f.getValue());
            List<Call> made = AwsCallRecorder.of(calls, f.getKey());
            for (Call c : made) {
                if (policy.stream().noneMatch(s -> allows(s, c))) {
                    refused.add(f.getValue() + " " + c.action() + " on " + c.resource() + " keys " + c.leadingKeys()
                            + " attributes " + c.attributes());
                }
            }
            for (TemplatePolicies.Statement s : policy) {
                for (String action : s.actions()) {
                    for (Object resource : s.resources()) {
                        String pattern = local(resource);
                        boolean used = made.stream().anyMatch(c -> c.action().equals(action) && matches(pattern, c.resource())
                                && conditionsHold(s, c));
                        if (!used && !CALLED_ONLY_IN_AWS.contains(f.getValue() + " " + action)) {
                            unused.add(f.getValue() + " " + s.sid() + ": " + action + " on " + resource);
                        }
                    }
                }
            }
        }
        assertThat(refused).as("calls the template does not allow").isEmpty();
        assertThat(unused).as("permissions no call uses").isEmpty();
    }

    /** Only the management function writes credentials: any other write to the config table is limited to workspace items. */
    @Test
    void onlyManagementWritesCredentialsAndIngestNeverReadsASecret() {
        Set<String> writes = Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem");
        for (String function : List.of("IngestFunction", "DeliveryFunction")) {
            for (TemplatePolicies.Statement s : TemplatePolicies.of(function)) {
                assertThat(s.resources()).as(function + " " + s.sid()).noneMatch(r -> "*".equals(r));
                boolean writesConfig = s.actions().stream().anyMatch(writes::contains) && s.resources().stream().anyMatch(r -> local(r)
                        .equals("table/" + stack.config().configTable()));
                if (writesConfig) {
                    // never a credential item (sess#…, ikey#…): workspace items, or an endpoint's slots item
                    assertThat(leadingKeyPatterns(s)).as("%s %s writes the config table only on workspace or slots items", function, s.sid())
                            .isNotEmpty().allMatch(p -> p.startsWith("ws#") || p.startsWith("slots#"));
                }
                if (function.equals("IngestFunction")) {
                    assertThat(s.actions()).as("ingest never reads a secret (the admin key is a 401 there)")
                            .noneMatch(a -> a.startsWith("secretsmanager:"));
                }
            }
        }
    }

    private static void exerciseEveryRouteAndDeliveryPath() throws Exception {
        ApiClient api = stack.api();
        String admin = stack.adminKey();
        try (TestReceiver ok = new TestReceiver();
             TestReceiver flaky = new TestReceiver().answering(n -> TestReceiver.Reply.status(n % 2 == 1 ? 500 : 204));
             TestReceiver broken = new TestReceiver().answering(n -> TestReceiver.Reply.status(503));
             TestReceiver gone = new TestReceiver().answering(n -> TestReceiver.Reply.status(410));
             TestReceiver operator = new TestReceiver()) {
            Tenant ops = Tenant.create(api, admin, "ops", Tenant.endpointFor(operator.url()));
            Tenant t = Tenant.create(api, admin, "iam", Tenant.endpointFor(ok.url()));
            String flakyEp = t.addEndpoint(api, Tenant.endpointFor(flaky.url()));
            String brokenEp = t.addEndpoint(api, Tenant.endpointFor(broken.url()));
            String goneEp = t.addEndpoint(api, Tenant.endpointFor(gone.url()));
            String pausedEp = t.addEndpoint(api, Tenant.endpointFor(ok.url()));
            Instant since = Instant.now().minusSeconds(5);
            String ws = "/v1/workspaces/iam";
            String ep = ws + "/endpoints/" + t.endpointId();

            // The event type catalog (ingest checks payloads against it), the egress addresses.
            expect(api.send("PUT", "/v1/event-types/order.completed", admin, Map.of(), "{\"description\":\"An order was paid\"}".getBytes()), 201);
            expect(api.send("PUT", "/v1/event-types/order.refunded", admin, Map.of(), "{\"description\":\"gone soon\"}".getBytes()), 201);
            expect(api.get("/v1/event-types", t.sessionToken()), 200);
            expect(api.get("/v1/event-types/order.completed", admin), 200);
            expect(api.delete("/v1/event-types/order.refunded", admin), 204);
            expect(api.get("/v1/egress", t.sessionToken()), 200);
            // Workspaces, keys, sessions (admin key).
            expect(api.get("/v1/workspaces?limit=10", admin), 200);
            expect(api.get(ws, admin), 200);
            expect(api.patch(ws + "/endpoints/" + pausedEp, admin, "{\"enabled\":false}"), 200);
            // Ingest: one event with a key, its replay, a batch (the paused endpoint misses them).
            Map<String, String> key = Map.of("Idempotency-Key", "iam-1");
            expect(api.send("POST", "/v1/events", t.ingestKey(), key, SEED.getBytes()), 202);
            expect(api.send("POST", "/v1/events", t.ingestKey(), key, SEED.getBytes()), 202);
            String batch = api.post("/v1/events/batch", t.ingestKey(), "{\"events\":[" + SEED + "," + SEED + "]}").json()
                    .path("results").get(0).path("id").asText();
            // Deliveries: delivered, retried then delivered, dead-lettered (the operator is told), 410 (likewise).
            broken.awaitRequests(2, Duration.ofSeconds(30));
            gone.awaitRequests(1, Duration.ofSeconds(30));
            operator.awaitRequests(2, Duration.ofSeconds(30));

            // Endpoints (session), rotation, a test event.
            expect(api.patch(ep, t.sessionToken(), "{\"description\":\"billing\",\"auth\":{\"type\":\"bearer\",\"token\":\"t-1\"}}"), 200);
            expect(api.post(ep + "/secret", t.sessionToken(), "{\"grace_seconds\":60}"), 200);
            expect(api.post(ep + "/test", t.sessionToken(), "{}"), 202);
            expect(api.get(ws + "/endpoints", t.sessionToken()), 200);
            expect(api.get(ep, admin), 200);
            expect(api.get(ep + "/stats?period=7d", t.sessionToken()), 200);
            // The log, an event, retry, recover (of failures, and of what the paused endpoint missed).
            ok.awaitRequests(4, Duration.ofSeconds(30));
            expect(api.get(ws + "/attempts?limit=100", t.sessionToken()), 200);
            expect(api.get(ws + "/attempts?endpoint_id=" + flakyEp, admin), 200);
            expect(api.get(ws + "/attempts?event_id=" + batch, admin), 200);
            expect(api.get(ws + "/events/" + batch, t.sessionToken()), 200);
            expect(api.post(ws + "/events/" + batch + "/retry", t.sessionToken(), "{}"), 202);
            expect(api.patch(ws + "/endpoints/" + pausedEp, admin, "{\"enabled\":true}"), 200);
            expect(api.post(ws + "/endpoints/" + pausedEp + "/recover", t.sessionToken(), "{\"since\":\"" + since + "\"}"), 202);
            expect(api.post(ws + "/endpoints/" + brokenEp + "/recover", admin, "{\"since\":\"" + since + "\"}"), 202);
            // Credentials, then the end of it all.
            expect(api.send("POST", ws + "/ingest-keys", admin, Map.of(), null), 201);
            expect(api.post(ws + "/sessions", admin, "{}"), 201);
            expect(api.delete(ws + "/sessions", admin), 204);
            expect(api.delete(ws + "/endpoints/" + goneEp, admin), 204);
            Eventually.get(Duration.ofSeconds(30), () -> Queues.depth(stack.clients().sqs(), stack.resources().deliveryQueueUrl()), d -> d == 0);
            expect(api.delete(ws, admin), 204);
            // A delivery received before it is due (a long wait comes back every 12 h) is hidden until then.
            DeliveryJob notDue = new DeliveryJob("ops", Signet.generationOf(stack, "ops"), ops.endpointId(), "evt_01KQ8ZJ2V7G4M6XTB3C5N9PD0R",
                    "order.completed", Instant.now(), null, null, "{}");
            Instant due = Instant.now().plus(Duration.ofHours(1));
            stack.clients().sqs().sendMessage(r -> r.queueUrl(stack.resources().deliveryQueueUrl())
                    .messageBody(notDue.with(Progress.start(Progress.FIRST_RUN, Progress.Trigger.EVENT, due)).toMessageBody()));
            Eventually.get(Duration.ofSeconds(30), () -> called("delivery", "sqs:ChangeMessageVisibility"), hidden -> hidden);
        }
    }

    private static void expect(ApiClient.Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    }

    private static boolean called(String function, String action) {
        return AwsCallRecorder.of(calls, function).stream().anyMatch(c -> c.action().equals(action));
    }

    private static boolean allows(TemplatePolicies.Statement s, Call c) {
        return s.actions().contains(c.action()) && s.resources().stream().anyMatch(r -> matches(local(r), c.resource()))
                && conditionsHold(s, c);
    }

    /** IAM's condition operators the template uses; any other fails the test rather than pass unchecked. */
    @SuppressWarnings("unchecked")
    private static boolean conditionsHold(TemplatePolicies.Statement s, Call c) {
        for (var op : s.condition().entrySet()) {
            for (var key : ((Map<String, Object>) op.getValue()).entrySet()) {
                List<String> values = key.getValue() instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                        : List.of(String.valueOf(key.getValue()));
                boolean holds = switch (op.getKey() + " " + key.getKey()) {
                    case "ForAllValues:StringLike dynamodb:LeadingKeys" ->
                            c.leadingKeys().stream().allMatch(k -> values.stream().anyMatch(v -> matches(v, k)));
                    case "ForAllValues:StringEquals dynamodb:Attributes" -> values.containsAll(c.attributes());
                    case "StringEqualsIfExists dynamodb:ReturnValues" -> c.returnValues() == null || values.contains(c.returnValues());
                    default -> throw new AssertionError("a condition this test does not evaluate: " + op.getKey() + " " + key.getKey());
                };
                if (!holds) {
                    return false;
                }
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static List<String> leadingKeyPatterns(TemplatePolicies.Statement s) {
        Object like = s.condition().get("ForAllValues:StringLike");
        Object keys = like == null ? null : ((Map<String, Object>) like).get("dynamodb:LeadingKeys");
        return keys instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** A template resource expression as this stack names the resource (table, index, queue URL, secret id). */
    private static String local(Object expression) {
        var r = stack.resources();
        String configTable = "table/" + stack.config().configTable();
        String eventsTable = "table/" + stack.config().eventsTable();
        String stackSecrets = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:signet/${AWS::StackName}/";
        return switch (String.valueOf(expression)) {
            case "{Fn::GetAtt=[ConfigTable, Arn]}" -> configTable;
            case "{Fn::GetAtt=[EventsTable, Arn]}" -> eventsTable;
            case "{Fn::Sub=${EventsTable.Arn}/index/*}" -> eventsTable + "/index/*";
            case "{Fn::GetAtt=[DeliveriesQueue, Arn]}" -> r.deliveryQueueUrl();
            case "{Fn::GetAtt=[DeadLetterQueue, Arn]}" -> r.deadLetterQueueUrl();
            case "{Ref=AdminKeySecret}" -> r.prefix() + "/admin-key";
            case "{Ref=CredentialKeySecret}" -> r.credentialKeySecretId();
            default -> {
                String sub = String.valueOf(expression);
                if (sub.startsWith("{Fn::Sub=" + stackSecrets)) {
                    yield r.prefix() + "/" + sub.substring(("{Fn::Sub=" + stackSecrets).length(), sub.length() - 1);
                }
                throw new AssertionError("a resource this test cannot place in local mode: " + expression);
            }
        };
    }

    /** IAM's wildcard: {@code *} is any run of characters. */
    private static boolean matches(String pattern, String value) {
        return Pattern.compile(Pattern.quote(pattern).replace("*", "\\E.*\\Q")).matcher(value).matches();
    }
}
