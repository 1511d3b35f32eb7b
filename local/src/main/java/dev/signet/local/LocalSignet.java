package dev.signet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.json.Json;
import dev.signet.core.log.Log;
import dev.signet.core.retry.RetrySchedule;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.workspace.Credentials;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;

/**
 * Local mode (README.md, "Quick start"): {@code scripts/local [--demo] [--port N]}. Runs the whole
 * system on this machine on embedded emulators until Ctrl-C. With {@code --demo} it also starts a
 * receiver that verifies signatures, and sets up a workspace, a session and an endpoint through the API
 * itself. It prints where everything listens, one portal link, and {@code export} lines to paste into
 * another terminal. {@code scripts/local portal-link [workspace]} mints a fresh portal link
 * ({@link PortalLink}).
 */
public final class LocalSignet implements AutoCloseable {
    static final int DEFAULT_PORT = 8080;
    static final String PREFIX = "signet-local";
    static final String DEMO_WORKSPACE = "casterly";
    /** Variables local mode sets itself; every other SIGNET_* variable of the environment is passed on. */
    private static final Set<String> OWN_VARIABLES = Set.of("SIGNET_PORT", "SIGNET_CONFIG_TABLE", "SIGNET_EVENTS_TABLE",
            "SIGNET_DELIVERY_QUEUE_URL", "SIGNET_CREDENTIAL_KEY_SECRET_ID", "SIGNET_ADMIN_KEY", "SIGNET_RETRY_SCHEDULE", "SIGNET_LOG_FORMAT");
    /** What a shell word may hold unquoted in the export lines. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:@%+,=-]+");

    static final String SEED_EVENT = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\","
            + "\"payload\":{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"account_id\":\"acc_casterly\","
            + "\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,\"completed_at\":\"2026-04-17T18:22:00Z\"}}";

    private final SignetStack stack;
    private final DemoReceiver receiver;

    private LocalSignet(SignetStack stack, DemoReceiver receiver) {
        this.stack = stack;
        this.receiver = receiver;
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        if (args.length > 0 && args[0].equals(PortalLink.COMMAND)) {
            System.exit(PortalLink.run(Arrays.copyOfRange(args, 1, args.length), env, System.out, System.err));
            return;
        }
        Options options;
        try {
            options = Options.parse(args, env, System.console() != null && System.console().isTerminal());
        } catch (IllegalArgumentException e) {
            System.err.println("signet: " + e.getMessage());
            System.err.println(Options.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(Options.USAGE);
            return;
        }
        // The functions log JSON for CloudWatch; a person at a terminal reads one line per record instead.
        Log.useFormat(options.logFormat);
        PrintStream out = System.out;
        LocalSignet running;
        try {
            running = start(options, env, out, PREFIX);
        } catch (StartFailed e) {
            System.err.println();
            System.err.println("signet: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("signet-local-stop").unstarted(() -> {
            out.println();
            out.println("signet: stopping ...");
            running.close();
            out.println("stopped");
            out.flush();
            stopped.countDown();
        }));
        out.println("Press Ctrl-C to stop.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts local mode as {@code scripts/local} does, printing what it prints to {@code out}; the caller
     * closes it. Tests run it on the shared emulators, each under its own {@code prefix} (table and
     * queue names; {@code scripts/local} uses {@value #PREFIX}).
     *
     * @throws IllegalArgumentException when {@code args} are not what {@code scripts/local} takes
     * @throws StartFailed when local mode or its demo cannot start (with everything started stopped again)
     */
    public static LocalSignet start(String[] args, Map<String, String> env, PrintStream out, String prefix) {
        return start(Options.parse(args, env, false), env, out, prefix);
    }

    private static LocalSignet start(Options options, Map<String, String> env, PrintStream out, String prefix) {
        String adminKey = blankToNull(env.get("SIGNET_ADMIN_KEY"));
        boolean generatedKey = adminKey == null;
        if (generatedKey) {
            adminKey = Credentials.newAdminKey();
        }

        out.println("Signet " + SignetConfig.VERSION + ": starting local mode (emulators, functions, API) ...");
        long started = System.nanoTime();
        SignetStack.Builder builder = SignetStack.builder()
                .port(options.port)
                .adminKey(adminKey)
                .prefix(prefix)
                .retrySchedule(blankToNull(env.get("SIGNET_RETRY_SCHEDULE")))
                // One person trying things: an endpoint edited in the portal is used by the next delivery
                // (30 s in AWS, where the cache saves reads); SIGNET_CACHE_TTL_SECONDS overrides it.
                .env("SIGNET_CACHE_TTL_SECONDS", "1");
        env.forEach((name, value) -> {
            if (name.startsWith("SIGNET_") && !OWN_VARIABLES.contains(name)) {
                builder.env(name, value);
            }
        });
        SignetStack stack;
        try {
            stack = builder.start();
        } catch (RuntimeException e) {
            throw new StartFailed("local mode could not start: " + e.getMessage(), e);
        }
        DemoReceiver receiver = null;
        try {
            receiver = options.demo ? DemoReceiver.start(out) : null;
            printBanner(out, stack, generatedKey, Duration.ofNanos(System.nanoTime() - started));
            Demo demo = receiver == null ? null : runDemo(stack, receiver);
            printWhatToUse(out, stack, receiver, demo);
            return new LocalSignet(stack, receiver);
        } catch (RuntimeException e) {
            if (receiver != null) {
                receiver.close();
            }
            stack.close();
            throw e instanceof StartFailed failed ? failed : new StartFailed("local mode could not start: " + e.getMessage(), e);
        }
    }

    /** The running stack (its API, resources and configuration). */
    public SignetStack stack() {
        return stack;
    }

    /** Stops the demo receiver, if any, and the stack. */
    @Override
    public void close() {
        if (receiver != null) {
            receiver.close();
        }
        stack.close();
    }

    private static void printBanner(PrintStream out, SignetStack stack, boolean generatedKey, Duration took) {
        SignetConfig c = stack.config();
        LocalResources r = stack.resources();
        Emulators e = stack.emulators();
        String schedule = c.retrySchedule().toString();
        out.println();
        out.printf("Signet %s local mode is running (started in %.1f s).%n", SignetConfig.VERSION, took.toMillis() / 1000.0);
        out.println("  API              " + stack.baseUrl() + "   (POST /v1/events to ingest; /v1/... to manage; GET /openapi.yaml describes it)");
        out.println("  Admin key        " + (generatedKey
                ? c.adminKey() + "   (generated; set SIGNET_ADMIN_KEY to choose one)"
                : "from SIGNET_ADMIN_KEY"));
        out.println("  Delivery worker  polling " + r.deliveryQueueUrl());
        out.println("  Dead letters     " + r.deadLetterQueueUrl() + "   (after " + c.maxAttempts() + " attempts)");
        out.println("  Retry schedule   " + schedule + (schedule.equals(RetrySchedule.DEFAULT) ? "   (default; SIGNET_RETRY_SCHEDULE to change)" : ""));
        out.println("  SQS emulator     " + e.sqsEndpoint() + "   (ElasticMQ, in this process)");
        out.println("  DynamoDB and Secrets Manager emulator   " + e.dynamoAndSecretsEndpoint()
                + "   (moto_server; log: " + e.motoLog() + ")");
        out.println("  Tables           " + r.configTable() + ", " + r.eventsTable());
        if (c.operatorWorkspace() != null) {
            out.println("  Operator         notifications go to the endpoints of workspace " + c.operatorWorkspace()
                    + "   (SIGNET_OPERATOR_WORKSPACE; create it and its endpoints through the API)");
        }
        out.println("  Config cache     " + c.cacheTtl().toSeconds() + " s   (SIGNET_CACHE_TTL_SECONDS; 30 s by default in AWS): endpoint changes reach deliveries within it");
        out.println();
        out.println("Local mode ALLOWS http:// endpoint URLs and endpoints on " + SignetStack.LOCAL_PRIVATE_CIDRS
                + " (loopback), which a deployment in AWS refuses;");
        out.println("never its own ports " + c.localPorts() + " (the API and the emulators), so no endpoint can reach them.");
        out.println("Everything lives in memory and is gone when local mode stops.");
        out.println();
    }

    /** What the demo set up through the API. */
    private record Demo(String ingestKey, String endpointId, String secretHint, String portalUrl) {
    }

    private static Demo runDemo(SignetStack stack, DemoReceiver receiver) {
        Api api = new Api(stack.api());
        String admin = stack.adminKey();
        String ws = "/v1/workspaces/" + DEMO_WORKSPACE;

        catalogue(api, admin);
        JsonNode workspace = api.post("/v1/workspaces", admin, Json.object().put("name", "Casterly").put("id", DEMO_WORKSPACE), 201);
        String ingestKey = text(workspace, "ingest_key", "POST /v1/workspaces");

        JsonNode session = api.post(ws + "/sessions", admin, Json.object().put("ttl_seconds", 3600), 201);
        String token = text(session, "token", "POST " + ws + "/sessions");
        String portalUrl = text(session, "portal_url", "POST " + ws + "/sessions");

        JsonNode endpoint = api.post(ws + "/endpoints", token,
                Json.object().put("url", receiver.url().toString()).put("description", "demo receiver"), 201);
        String endpointId = text(endpoint, "id", "POST " + ws + "/endpoints");
        WebhookSecret secret;
        try {
            secret = WebhookSecret.parse(text(endpoint, "secret", "POST " + ws + "/endpoints"));
        } catch (WebhookSecret.InvalidSecretException e) {
            throw new StartFailed("the demo could not be set up: the endpoint's generated secret is not a valid whsec_ secret: "
                    + e.getMessage(), e);
        }
        receiver.useSecret(secret);
        return new Demo(ingestKey, endpointId, secret.hint(), portalUrl);
    }

    /**
     * A small event type catalog, so the portal's endpoint form has types to offer with descriptions
     * and examples. None validates: the README's commands send other payloads of these types.
     */
    private static void catalogue(Api api, String admin) {
        api.put("/v1/event-types/order.completed", admin, Json.object().put("description", "An order was paid in full.")
                .<ObjectNode>set("schema", Json.parseTrusted("{\"type\":\"object\",\"required\":[\"order_id\"],\"properties\":{"
                        + "\"order_id\":{\"type\":\"string\"},\"total_cents\":{\"type\":\"integer\",\"minimum\":0},"
                        + "\"currency\":{\"type\":\"string\"},\"items\":{\"type\":\"integer\"}}}"))
                .set("example", Json.parseTrusted("{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\","
                        + "\"account_id\":\"acc_casterly\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,"
                        + "\"completed_at\":\"2026-04-17T18:22:00Z\"}")), 201);
        api.put("/v1/event-types/order.refunded", admin, Json.object().put("description", "An order was refunded, in full or in part.")
                .set("example", Json.parseTrusted("{\"order_id\":\"ord_lannister_77\",\"refunded_cents\":4300,\"currency\":\"usd\"}")), 201);
        api.put("/v1/event-types/customer.updated", admin, Json.object().put("description", "A customer's contact details changed.")
                .set("example", Json.parseTrusted("{\"customer_id\":\"cus_lannister\",\"email\":\"tywin@example.com\"}")), 201);
    }

    /** The demo's objects, the one portal link, the export lines, and the seed event to send. */
    private static void printWhatToUse(PrintStream out, SignetStack stack, DemoReceiver receiver, Demo demo) {
        if (demo != null) {
            out.println("Demo ready:");
            out.println("  Workspace        " + DEMO_WORKSPACE + "   (ingest key " + demo.ingestKey() + ")");
            out.println("  Endpoint         " + demo.endpointId() + " -> " + receiver.url() + "   (secret " + demo.secretHint()
                    + ", held by the demo receiver, which verifies every request)");
            out.println("  Receiver         " + receiver.url("") + "   " + DemoReceiver.PATH + " verifies; "
                    + DemoReceiver.ACCEPT_PATH + " answers 204 to anything (no signature check); "
                    + DemoReceiver.STATUS_PATH + "503 answers 503 (any status 200 to 599): a broken receiver");
            out.println("  Portal           " + demo.portalUrl() + "   (valid for 1 h; a new one: scripts/local "
                    + PortalLink.COMMAND + " " + DEMO_WORKSPACE + ")");
        } else {
            out.println("  Portal           a link per session: scripts/local " + PortalLink.COMMAND
                    + " <workspace>   (or POST /v1/workspaces/{ws}/sessions and open its portal_url)");
        }
        out.println();
        out.println("In another terminal, paste:");
        Map<String, String> exports = new LinkedHashMap<>();
        exports.put("SIGNET_API_URL", stack.baseUrl().toString());
        exports.put("SIGNET_ADMIN_KEY", stack.adminKey());
        exports.put("SIGNET_DELIVERY_QUEUE_URL", stack.resources().deliveryQueueUrl());
        exports.put("SIGNET_DLQ_URL", stack.resources().deadLetterQueueUrl());
        if (demo != null) {
            exports.put("SIGNET_INGEST_KEY", demo.ingestKey());
            exports.put("SIGNET_RECEIVER_URL", receiver.url("").toString());
        }
        exports.forEach((name, value) -> out.println("  export " + name + "=" + shellWord(value)));
        out.println("  export API=\"$SIGNET_API_URL\" ADMIN=\"$SIGNET_ADMIN_KEY\""
                + (demo != null ? " INGEST_KEY=\"$SIGNET_INGEST_KEY\" RECEIVER=\"$SIGNET_RECEIVER_URL\"" : ""));
        out.println();
        if (demo != null) {
            out.println("Send the seed event:");
            out.println("  curl -s -X POST " + stack.baseUrl() + "/v1/events -H \"Authorization: Bearer " + demo.ingestKey()
                    + "\" -H 'Content-Type: application/json' -d '" + SEED_EVENT + "'");
            out.println("The demo receiver prints one line per request it receives.");
            out.println();
        }
    }

    /** {@code value} as one shell word: bare when it is plainly safe, else single-quoted. */
    static String shellWord(String value) {
        return SHELL_SAFE.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
    }

    private static String text(JsonNode node, String field, String call) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new StartFailed("the demo could not be set up: " + call + " answered without \"" + field + "\"", null);
        }
        return v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The demo's calls go through the running HTTP API: the same path a product backend takes. */
    private record Api(ApiClient client) {
        JsonNode post(String path, String bearer, ObjectNode body, int expected) {
            return call("POST", path, bearer, body, expected);
        }

        JsonNode put(String path, String bearer, ObjectNode body, int expected) {
            return call("PUT", path, bearer, body, expected);
        }

        private JsonNode call(String method, String path, String bearer, ObjectNode body, int expected) {
            ApiClient.Reply reply;
            try {
                reply = client.send(method, path, bearer, Map.of("content-type", "application/json"),
                        Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new StartFailed("the demo could not be set up: " + method + " " + path + " failed: " + e.getMessage(), e);
            }
            if (reply.status() != expected) {
                throw new StartFailed("the demo could not be set up: " + method + " " + path + " answered " + reply.status()
                        + " instead of " + expected + ": " + reply.body(), null);
            }
            try {
                return reply.json();
            } catch (IllegalStateException e) {
                throw new StartFailed("the demo could not be set up: " + method + " " + path + " answered a body that is not JSON", e);
            }
        }
    }

    /** Local mode or its demo could not start; the message says why. */
    public static final class StartFailed extends RuntimeException {
        StartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Command line and environment. */
    record Options(boolean demo, int port, boolean help, Log.Format logFormat) {
        static final String USAGE = """
                usage: scripts/local [--demo] [--port N]
                       scripts/local portal-link [workspace] [--ttl SECONDS]
                  --demo       also start a receiver that verifies signatures, and create a demo workspace,
                               session and endpoint through the API; prints a curl command to send an event
                  --port N     the API's port on 127.0.0.1 (default 8080, or SIGNET_PORT)
                  portal-link  print a fresh portal link of a workspace (default casterly) of the running
                               local mode, valid for --ttl seconds (default 3600); needs SIGNET_ADMIN_KEY
                environment: SIGNET_PORT, SIGNET_ADMIN_KEY (else generated), SIGNET_RETRY_SCHEDULE (e.g. 1s,2s,5s),
                             SIGNET_LOG_FORMAT (text or json; default text on a terminal, else json),
                             and any other SIGNET_* setting of the functions""";

        /** @param terminal whether standard output is a terminal (log lines are then text by default) */
        static Options parse(String[] args, Map<String, String> env, boolean terminal) {
            boolean demo = false;
            boolean help = false;
            Integer port = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--demo" -> demo = true;
                    case "-h", "--help" -> help = true;
                    case "--port" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException("--port needs a number");
                        }
                        port = port(args[++i], "--port");
                    }
                    default -> {
                        if (a.startsWith("--port=")) {
                            port = port(a.substring("--port=".length()), "--port");
                        } else {
                            throw new IllegalArgumentException("unknown argument " + a);
                        }
                    }
                }
            }
            if (port == null) {
                String fromEnv = env.get("SIGNET_PORT");
                port = fromEnv == null || fromEnv.isBlank() ? DEFAULT_PORT : port(fromEnv, "SIGNET_PORT");
            }
            return new Options(demo, port, help, logFormat(env.get("SIGNET_LOG_FORMAT"), terminal));
        }

        private static Log.Format logFormat(String chosen, boolean terminal) {
            if (chosen == null || chosen.isBlank()) {
                return terminal ? Log.Format.TEXT : Log.Format.JSON;
            }
            return switch (chosen.trim().toLowerCase(Locale.ROOT)) {
                case "text" -> Log.Format.TEXT;
                case "json" -> Log.Format.JSON;
                default -> throw new IllegalArgumentException("SIGNET_LOG_FORMAT must be text or json, not \"" + chosen + "\"");
            };
        }

        private static int port(String text, String name) {
            try {
                int p = Integer.parseInt(text.trim());
                if (p >= 0 && p <= 65535) {
                    return p;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a port number (0 to 65535), not \"" + text + "\"");
        }
    }
}
