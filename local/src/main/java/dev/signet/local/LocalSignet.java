package dev.signet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.json.Json;
import dev.signet.core.retry.RetrySchedule;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.workspace.Credentials;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Local mode (CONTRACT §8): {@code scripts/local [--demo] [--port N]}. Runs the whole system on this
 * machine on embedded emulators until Ctrl-C. With {@code --demo} it also starts a receiver that
 * verifies signatures, and sets up a workspace, a session and an endpoint through the API itself.
 */
public final class LocalSignet {
    static final int DEFAULT_PORT = 8080;
    static final String PREFIX = "signet-local";
    /** Variables local mode sets itself; every other SIGNET_* variable of the environment is passed on. */
    private static final Set<String> OWN_VARIABLES = Set.of("SIGNET_PORT", "SIGNET_CONFIG_TABLE", "SIGNET_EVENTS_TABLE",
            "SIGNET_DELIVERY_QUEUE_URL", "SIGNET_SECRET_PREFIX", "SIGNET_ADMIN_KEY", "SIGNET_RETRY_SCHEDULE");

    static final String SEED_EVENT = "{\"event\":\"order.completed\",\"resource\":\"order\",\"resource_id\":\"ord_lannister_77\","
            + "\"payload\":{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"account_id\":\"acc_casterly\","
            + "\"total_cents\":12900,\"currency\":\"usd\",\"items\":3,\"completed_at\":\"2026-04-17T18:22:00Z\"}}";

    private LocalSignet() {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args, System.getenv());
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
        PrintStream out = System.out;
        Map<String, String> env = System.getenv();
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
                .prefix(PREFIX)
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
            System.err.println("signet: local mode could not start: " + e.getMessage());
            System.exit(1);
            return;
        }

        DemoReceiver receiver = options.demo ? DemoReceiver.start(out) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("signet-local-stop").unstarted(() -> {
            out.println();
            out.println("signet: stopping ...");
            if (receiver != null) {
                receiver.close();
            }
            stack.close();
            out.println("stopped");
            out.flush();
            stopped.countDown();
        }));

        printBanner(out, stack, generatedKey, Duration.ofNanos(System.nanoTime() - started));
        if (receiver != null) {
            try {
                runDemo(out, stack, receiver);
            } catch (DemoFailed e) {
                System.err.println();
                System.err.println("signet: the demo could not be set up: " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        out.println("Press Ctrl-C to stop.");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void printBanner(PrintStream out, SignetStack stack, boolean generatedKey, Duration took) {
        SignetConfig c = stack.config();
        LocalResources r = stack.resources();
        Emulators e = stack.emulators();
        String schedule = c.retrySchedule().toString();
        out.println();
        out.printf("Signet %s local mode is running (started in %.1f s).%n", SignetConfig.VERSION, took.toMillis() / 1000.0);
        out.println("  API              " + stack.baseUrl() + "   (POST /v1/events to ingest; /v1/... to manage)");
        out.println("  Portal           " + stack.baseUrl() + "/portal   (open the portal_url of a session)");
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
                + " (loopback), which a deployment in AWS refuses.");
        out.println("Everything lives in memory and is gone when local mode stops.");
        out.println();
    }

    private static void runDemo(PrintStream out, SignetStack stack, DemoReceiver receiver) {
        Api api = new Api(stack.api());
        String admin = stack.adminKey();

        JsonNode workspace = api.post("/v1/workspaces", admin, Json.object().put("name", "Casterly").put("id", "casterly"), 201);
        String ingestKey = text(workspace, "ingest_key", "POST /v1/workspaces");

        JsonNode session = api.post("/v1/workspaces/casterly/sessions", admin, Json.object().put("ttl_seconds", 3600), 201);
        String token = text(session, "token", "POST /v1/workspaces/casterly/sessions");
        JsonNode portal = session.get("portal_url");

        JsonNode endpoint = api.post("/v1/workspaces/casterly/endpoints", token,
                Json.object().put("url", receiver.url().toString()).put("description", "demo receiver"), 201);
        String endpointId = text(endpoint, "id", "POST /v1/workspaces/casterly/endpoints");
        WebhookSecret secret;
        try {
            secret = WebhookSecret.parse(text(endpoint, "secret", "POST /v1/workspaces/casterly/endpoints"));
        } catch (WebhookSecret.InvalidSecretException e) {
            throw new DemoFailed("the endpoint's generated secret is not a valid whsec_ secret: " + e.getMessage());
        }
        receiver.useSecret(secret);

        out.println("Demo ready:");
        out.println("  Workspace        casterly   (ingest key " + ingestKey + ")");
        out.println("  Endpoint         " + endpointId + " -> " + receiver.url() + "   (secret " + secret.hint()
                + ", held by the demo receiver, which verifies every request)");
        if (portal != null && portal.isTextual()) {
            out.println("  Portal           " + portal.asText() + "   (valid for 1 h)");
        }
        out.println();
        out.println("Send the seed event:");
        out.println("  curl -s -X POST " + stack.baseUrl() + "/v1/events -H \"Authorization: Bearer " + ingestKey
                + "\" -H 'Content-Type: application/json' -d '" + SEED_EVENT + "'");
        out.println();
        out.println("The demo receiver prints one line per request it receives. To try the portal with other endpoints:");
        out.println("  " + receiver.url(DemoReceiver.ACCEPT_PATH) + "       answers 204 to anything (no signature check)");
        out.println("  " + receiver.url(DemoReceiver.STATUS_PATH + "503") + "   answers 503 (any status from 200 to 599): a broken receiver");
    }

    private static String text(JsonNode node, String field, String call) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new DemoFailed(call + " answered without \"" + field + "\"");
        }
        return v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The demo's calls go through the running HTTP API: the same path a product backend takes. */
    private record Api(ApiClient client) {
        JsonNode post(String path, String bearer, ObjectNode body, int expected) {
            ApiClient.Reply reply;
            try {
                reply = client.post(path, bearer, body);
            } catch (RuntimeException e) {
                throw new DemoFailed("POST " + path + " failed: " + e.getMessage());
            }
            if (reply.status() != expected) {
                String hint = reply.status() == 404 ? " (is this route implemented yet in the management function?)" : "";
                throw new DemoFailed("POST " + path + " answered " + reply.status() + " instead of " + expected
                        + ": " + reply.body() + hint);
            }
            try {
                return reply.json();
            } catch (IllegalStateException e) {
                throw new DemoFailed("POST " + path + " answered a body that is not JSON");
            }
        }
    }

    private static final class DemoFailed extends RuntimeException {
        DemoFailed(String message) {
            super(message);
        }
    }

    /** Command line and environment. */
    record Options(boolean demo, int port, boolean help) {
        static final String USAGE = """
                usage: scripts/local [--demo] [--port N]
                  --demo     also start a receiver that verifies signatures, and create a demo workspace,
                             session and endpoint through the API; prints a curl command to send an event
                  --port N   the API's port on 127.0.0.1 (default 8080, or SIGNET_PORT)
                environment: SIGNET_PORT, SIGNET_ADMIN_KEY (else generated), SIGNET_RETRY_SCHEDULE (e.g. 1s,2s,5s),
                             and any other SIGNET_* setting of the functions""";

        static Options parse(String[] args, Map<String, String> env) {
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
            return new Options(demo, port, help);
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
