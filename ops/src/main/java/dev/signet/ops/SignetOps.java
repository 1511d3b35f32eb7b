package dev.signet.ops;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code signet}, the operator's tool (README.md, "Operating Signet"). Exit status: 0 done, 1 the
 * operation failed, 2 the command was called wrongly. Against AWS it uses the default credential and
 * region chains; against local mode, the queue URLs local mode prints (their 127.0.0.1 host is used as
 * the SQS endpoint) or {@code --endpoint-url}.
 */
public final class SignetOps {
    static final String USAGE = """
            signet: operate a Signet deployment

            Usage: signet <command> [options]        signet <command> --help for its options

            Commands:
              dlq stats      depth, age of the oldest message, failing endpoints (peeks; consumes nothing)
              dlq redrive    move dead letters back to the deliveries queue and follow the task
              dlq tasks      list recent message-move tasks from the dead-letter queue
              dlq cancel     cancel the running message-move task
              replay         queue again an endpoint's deliveries that failed in a time window (recover)
              attempts       recent delivery attempts of a workspace or endpoint, with their errors
              endpoint       show, enable or disable an endpoint
              credentials rotate-key    new key-encryption key for endpoint credentials; re-seals every endpoint
              credentials retire-keys   drop the old keys once no endpoint (and no function instance) uses them
              credentials migrate       seal 0.1 endpoints' credentials into their items; delete their secrets

            Where (options or environment):
              --dlq URL           SIGNET_DLQ_URL            the dead-letter queue (stack output DeadLetterQueueUrl)
              --queue URL         SIGNET_DELIVERY_QUEUE_URL the deliveries queue (stack output DeliveryQueueUrl)
              --api URL           SIGNET_API_URL            the HTTP API (stack output ApiUrl; local http://127.0.0.1:8080)
              --admin-key KEY     SIGNET_ADMIN_KEY          prefer the variable: options show up in ps
              --region R          AWS_REGION                else the default region chain
              --endpoint-url URL                            SQS endpoint override (emulators)
              --config-table T    SIGNET_CONFIG_TABLE       the config table (stack output ConfigTableName)
              --key-secret ID     SIGNET_CREDENTIAL_KEY_SECRET_ID  the key secret (stack output CredentialKeySecretArn)
              --aws-endpoint-url URL                        DynamoDB and Secrets Manager endpoint override (local mode's moto)
            """;

    private static final Set<String> WHERE = Set.of("help", "dlq", "queue", "api", "admin-key", "region", "endpoint-url");
    /** Where the credentials commands work: the config table and the key secret, directly (no API). */
    private static final Set<String> STORE = Set.of("help", "region", "config-table", "key-secret", "aws-endpoint-url");

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry("credentials rotate-key", """
                    signet credentials rotate-key --config-table T --key-secret ID
                      Adds a key-encryption key to the key secret and makes it current, then re-seals every endpoint's
                      credentials under it (one conditional write per endpoint; a change made through the API meanwhile
                      wins, and is re-sealed in a further pass). Deliveries keep running: the previous keys stay readable,
                      and each function instance reads the new key at its first use. Interrupted? Run retire-keys: it
                      finishes the re-sealing first. Exit 1 if an endpoint could not be opened (it is named)."""),
            Map.entry("credentials retire-keys", """
                    signet credentials retire-keys --config-table T --key-secret ID [--key-cache-seconds 960]
                      Re-seals any endpoint still under an old key, then removes the old keys from the key secret, once
                      the rotation is older than --key-cache-seconds (the functions' SIGNET_CREDENTIAL_KEY_CACHE_SECONDS,
                      900 by default, plus a minute): until then an instance may still seal with an old key, and the
                      command says when to run it again (exit 1). A sealed value under a removed key cannot be opened,
                      so it checks that none is left first."""),
            Map.entry("credentials migrate", """
                    signet credentials migrate --config-table T --key-secret ID [--legacy-prefix signet/<stack>]
                      Upgrading from 0.1: seals the credentials of endpoints created by 0.1 (each in a Secrets Manager
                      secret <prefix>/endpoints/<ws>/<ep>) into their items, one conditional write each, then deletes
                      every such secret no endpoint item needs (migrated ones, and those of endpoints deleted since).
                      The prefix is the key secret's (signet/<stack>). Run again after an interruption; exit 1 while
                      an endpoint is left on its secret (named), 0 when none is."""),
            Map.entry("dlq stats", """
                    signet dlq stats --dlq URL [--sample N]
                      Depth (visible and in flight), the age of the oldest message, and a count per workspace and
                      endpoint over a sample (default 100). Sampled messages are received with a 30 s visibility
                      timeout and handed back at once (visibility 0): nothing is deleted or consumed."""),
            Map.entry("dlq redrive", """
                    signet dlq redrive --dlq URL --queue URL [--max-per-second N] [--no-wait] [--poll-seconds N]
                      Starts an SQS message-move task from the dead-letter queue to the deliveries queue (--queue,
                      or SIGNET_DELIVERY_QUEUE_URL) and prints its progress until it is done. The destination is
                      required: the delivery function moves exhausted deliveries to the DLQ itself, so SQS has no
                      source queue on record to send them back to. A redriven delivery starts a fresh run of
                      attempts (attempt 1, trigger "redrive") with the same webhook-id.
                      Exit 1 if the task fails or is cancelled."""),
            Map.entry("dlq tasks", """
                    signet dlq tasks --dlq URL
                      The most recent message-move tasks from the dead-letter queue (SQS keeps 10), newest first."""),
            Map.entry("dlq cancel", """
                    signet dlq cancel --dlq URL [--task HANDLE]
                      Cancels the given task, or else the running one. Messages not yet moved stay in the DLQ."""),
            Map.entry("replay", """
                    signet replay --workspace WS --endpoint EP --since T [--until T] --api URL
                      Recover: queues again, once each and in the order they failed, every event whose delivery to
                      the endpoint failed or was dead-lettered in [since, until] (unless a later attempt succeeded).
                      A long window takes several requests (the server answers with resume_since); this follows
                      them. T is an ISO-8601 instant (2026-04-17T18:22:00Z) or an age (90m, 6h, 2d). Needs the
                      admin key."""),
            Map.entry("attempts", """
                    signet attempts --workspace WS [--endpoint EP] [--status failed|succeeded] [--limit N] --api URL
                      The newest delivery attempts (default 20) with HTTP status and error. Needs the admin key."""),
            Map.entry("endpoint", """
                    signet endpoint show|enable|disable --workspace WS --endpoint EP --api URL
                      Shows an endpoint (enabled, disabled_reason), or enables/disables it. Needs the admin key."""));

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Clock clock;
    private final Function<Args, SqsClient> sqsFactory;

    SignetOps(Map<String, String> env, PrintStream out, PrintStream err, Clock clock, Function<Args, SqsClient> sqsFactory) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.sqsFactory = sqsFactory;
    }

    public static void main(String[] argv) {
        int code = new SignetOps(System.getenv(), System.out, System.err, Clock.systemUTC(), SignetOps::sqsClient).run(argv);
        System.exit(code);
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        return new SignetOps(env, out, err, Clock.systemUTC(), SignetOps::sqsClient).run(argv);
    }

    int run(String[] argv) {
        Args args;
        try {
            args = Args.parse(argv, env);
        } catch (Args.UsageException e) {
            err.println("signet: " + e.getMessage());
            return 2;
        }
        String command = command(args);
        if (command == null) {
            (args.flag("help") ? out : err).println(USAGE);
            return args.flag("help") ? 0 : 2;
        }
        if (args.flag("help")) {
            out.println(HELP.get(command.startsWith("endpoint") ? "endpoint" : command));
            return 0;
        }
        try {
            return execute(command, args) ? 0 : 1;
        } catch (Args.UsageException e) {
            err.println("signet " + command + ": " + e.getMessage());
            err.println(HELP.get(command.startsWith("endpoint") ? "endpoint" : command));
            return 2;
        } catch (SdkException | IllegalStateException e) {
            err.println("signet " + command + ": failed: " + e.getMessage());
            return 1;
        }
    }

    private static String command(Args args) {
        if (args.words.isEmpty()) {
            return null;
        }
        String first = args.words.getFirst();
        String two = args.words.size() > 1 ? first + " " + args.words.get(1) : first;
        if (HELP.containsKey(two) || (first.equals("endpoint") && args.words.size() > 1)) {
            return two;
        }
        return HELP.containsKey(first) && !first.equals("endpoint") ? first : null;
    }

    private boolean execute(String command, Args args) {
        return switch (command) {
            case "dlq stats" -> {
                args.rejectUnknown(with("sample"));
                String dlq = args.required("dlq", "SIGNET_DLQ_URL");
                int sample = args.integer("sample", 100);
                try (SqsClient sqs = sqsFactory.apply(args)) {
                    new DeadLetters(sqs, out, clock).stats(dlq, sample);
                }
                yield true;
            }
            case "dlq redrive" -> {
                args.rejectUnknown(with("max-per-second", "no-wait", "poll-seconds"));
                String dlq = args.required("dlq", "SIGNET_DLQ_URL");
                Integer rate = args.get("max-per-second") == null ? null : args.integer("max-per-second", 1);
                Duration poll = Duration.ofSeconds(args.integer("poll-seconds", 1));
                try (SqsClient sqs = sqsFactory.apply(args)) {
                    yield new DeadLetters(sqs, out, clock).redrive(dlq, args.required("queue", "SIGNET_DELIVERY_QUEUE_URL"), rate,
                            !args.flag("no-wait"), poll);
                }
            }
            case "dlq tasks" -> {
                args.rejectUnknown(WHERE);
                String dlq = args.required("dlq", "SIGNET_DLQ_URL");
                try (SqsClient sqs = sqsFactory.apply(args)) {
                    new DeadLetters(sqs, out, clock).tasks(dlq);
                }
                yield true;
            }
            case "dlq cancel" -> {
                args.rejectUnknown(with("task"));
                String dlq = args.required("dlq", "SIGNET_DLQ_URL");
                try (SqsClient sqs = sqsFactory.apply(args)) {
                    yield new DeadLetters(sqs, out, clock).cancel(dlq, args.get("task"));
                }
            }
            case "replay" -> {
                args.rejectUnknown(with("workspace", "endpoint", "since", "until"));
                Instant now = clock.instant();
                Instant since = instant(args.required("since", null), now, "since");
                Instant until = args.get("until") == null ? null : instant(args.get("until"), now, "until");
                yield api(args).replay(args.required("workspace", null), args.required("endpoint", null), since, until);
            }
            case "attempts" -> {
                args.rejectUnknown(with("workspace", "endpoint", "status", "limit"));
                yield api(args).attempts(args.required("workspace", null), args.get("endpoint"), args.get("status"), args.integer("limit", 20));
            }
            case "endpoint show", "endpoint enable", "endpoint disable" -> {
                args.rejectUnknown(with("workspace", "endpoint"));
                ManagementApi api = api(args);
                String ws = args.required("workspace", null);
                String ep = args.required("endpoint", null);
                yield command.equals("endpoint show") ? api.endpoint(ws, ep) : api.setEnabled(ws, ep, command.equals("endpoint enable"));
            }
            case "credentials rotate-key", "credentials retire-keys", "credentials migrate" -> {
                args.rejectUnknown(command.endsWith("retire-keys") ? with(STORE, "key-cache-seconds")
                        : command.endsWith("migrate") ? with(STORE, "legacy-prefix") : STORE);
                String table = args.required("config-table", "SIGNET_CONFIG_TABLE");
                String keySecret = args.required("key-secret", "SIGNET_CREDENTIAL_KEY_SECRET_ID");
                String emulator = args.get("aws-endpoint-url");
                try (DynamoDbClient dynamo = client(DynamoDbClient.builder(), args, emulator);
                     SecretsManagerClient secrets = client(SecretsManagerClient.builder(), args, emulator)) {
                    EndpointCredentialKeys keys = new EndpointCredentialKeys(dynamo, secrets, table, keySecret, out, clock);
                    yield switch (command) {
                        case "credentials rotate-key" -> keys.rotateKey();
                        case "credentials retire-keys" -> keys.retireKeys(Duration.ofSeconds(args.integer("key-cache-seconds", 960)));
                        default -> keys.migrate(args.get("legacy-prefix") != null ? args.get("legacy-prefix")
                                : EndpointCredentialKeys.legacyPrefixOf(keySecret));
                    };
                }
            }
            default -> throw new Args.UsageException("unknown command");
        };
    }

    /**
     * An AWS client: {@code endpoint} (an emulator: local mode's ElasticMQ or moto) with dummy
     * credentials, or null for AWS through the default credential and region chains.
     */
    static <C, B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
            & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>> C client(B b, Args args, String endpoint) {
        b.httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(30)).build());
        String region = args.get("region", "AWS_REGION");
        if (endpoint != null) {
            b.endpointOverride(URI.create(endpoint))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
            region = region == null ? "us-east-1" : region;
        }
        if (region != null) {
            b.region(Region.of(region));
        }
        return b.build();
    }

    private static Set<String> with(String... more) {
        return with(WHERE, more);
    }

    private static Set<String> with(Set<String> base, String... more) {
        var s = new java.util.HashSet<>(base);
        s.addAll(java.util.List.of(more));
        return s;
    }

    private ManagementApi api(Args args) {
        return new ManagementApi(URI.create(args.required("api", "SIGNET_API_URL")), args.required("admin-key", "SIGNET_ADMIN_KEY"), out);
    }

    private static final Pattern AGE = Pattern.compile("(\\d+)([smhd])");

    /** An ISO-8601 instant, or an age before now: {@code 90m}, {@code 6h}, {@code 2d}. */
    static Instant instant(String text, Instant now, String name) {
        Matcher m = AGE.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new Args.UsageException("--" + name + " must be an ISO-8601 instant (2026-04-17T18:22:00Z) or an age (90m, 6h, 2d)");
        }
    }

    /**
     * The SQS client: {@code --endpoint-url}, or a loopback queue URL (local mode's ElasticMQ), means
     * emulator with dummy credentials; anything else is AWS through the default chains.
     */
    static SqsClient sqsClient(Args args) {
        String endpoint = args.get("endpoint-url");
        String queue = args.get("dlq", "SIGNET_DLQ_URL");
        if (endpoint == null && queue != null) {
            URI q = URI.create(queue);
            if ("127.0.0.1".equals(q.getHost()) || "localhost".equals(q.getHost())) {
                endpoint = q.getScheme() + "://" + q.getHost() + ":" + q.getPort();
            }
        }
        return client(SqsClient.builder(), args, endpoint);
    }
}
