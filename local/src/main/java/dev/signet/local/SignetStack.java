package dev.signet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.workspace.Credentials;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.ingest.IngestHandler;
import dev.signet.management.ManagementHandler;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * The whole of Signet in one JVM: the three functions, wired as in AWS (API Gateway → ingest and
 * management, the deliveries queue → delivery), on emulated DynamoDB, SQS and Secrets Manager. Local
 * mode runs one; integration tests start one per test class. By default every stack of a JVM runs on
 * {@link Emulators#shared()}, each with its own tables and queues, so a stack starts in a fraction
 * of a second once the emulators are up.
 *
 * <pre>{@code
 * try (SignetStack stack = SignetStack.builder().retrySchedule("1s,1s").start()) {
 *     URI api = stack.baseUrl();
 * }
 * }</pre>
 */
public final class SignetStack implements AutoCloseable {
    /** CIDRs local mode lets endpoints use, besides public addresses (README, local mode). */
    public static final String LOCAL_PRIVATE_CIDRS = "127.0.0.0/8";

    private final Emulators emulators;
    private final AwsClients clients;
    private final Stores stores;
    private final LocalResources resources;
    private final SignetConfig config;
    private final ApiGatewayBridge api;
    private final SqsEventSource eventSource;
    private final String adminKey;
    /** Clients of their own for each function, when the builder asked for per-function interceptors; else empty. */
    private final List<AwsClients> functionClients;
    private final boolean deleteResourcesOnClose;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private SignetStack(Builder b) {
        this.emulators = b.emulators != null ? b.emulators : Emulators.shared();
        ApiGatewayBridge bridge = null;
        LocalResources created = null;
        AwsClients aws = AwsClients.forEmulators(emulators.dynamoAndSecretsEndpoint(), emulators.sqsEndpoint());
        List<AwsClients> ownClients = new ArrayList<>();
        try {
            bridge = ApiGatewayBridge.bind(b.port);
            String prefix = b.prefix != null ? b.prefix : "signet-" + UUID.randomUUID().toString().substring(0, 8);
            String adminKey = b.adminKey != null ? b.adminKey : Credentials.newAdminKey();

            Map<String, String> env = new LinkedHashMap<>();
            if (!b.adminKeyInSecretsManager) {
                env.put("SIGNET_ADMIN_KEY", adminKey);
            }
            if (b.retrySchedule != null) {
                env.put("SIGNET_RETRY_SCHEDULE", b.retrySchedule);
            }
            env.put("SIGNET_ALLOW_HTTP", "true");
            // No ingest rate limit on one machine (benchmarks, tests) unless asked for.
            env.put("SIGNET_INGEST_RATE_LIMIT", "0");
            env.put("SIGNET_ALLOW_PRIVATE_CIDRS", LOCAL_PRIVATE_CIDRS);
            env.put("SIGNET_PUBLIC_URL", bridge.baseUrl().toString());
            // Loopback is open to receivers, but never local mode's own ports: an endpoint on the API or an
            // emulator would let a tenant read or forge other workspaces' deliveries (SECURITY.md).
            env.put("SIGNET_LOCAL_PORTS", bridge.port() + "," + emulators.dynamoAndSecretsEndpoint().getPort()
                    + "," + emulators.sqsEndpoint().getPort());
            env.putAll(b.env);
            // The queue's maxReceiveCount is a setting too: read it the one way configuration is read,
            // before the queue (whose URL the configuration needs) exists.
            Map<String, String> draft = new LinkedHashMap<>(env);
            draft.putIfAbsent("SIGNET_CONFIG_TABLE", "-");
            draft.putIfAbsent("SIGNET_EVENTS_TABLE", "-");
            draft.putIfAbsent("SIGNET_DELIVERY_QUEUE_URL", "-");
            int maxReceives = SignetConfig.from(draft).maxReceives();

            created = LocalResources.create(aws, prefix, maxReceives, b.visibilityTimeout);
            if (b.adminKeyInSecretsManager) {
                // As in AWS: the management function reads it from its secret (and caches it).
                String secretId = prefix + "/admin-key";
                aws.secrets().createSecret(r -> r.name(secretId).secretString(adminKey));
                env.put("SIGNET_ADMIN_KEY_SECRET_ID", secretId);
            }
            Map<String, String> full = new LinkedHashMap<>(created.environment());
            full.putAll(env);
            SignetConfig cfg = SignetConfig.from(full);

            Stores wired = Stores.from(cfg, aws, b.clock);
            AwsClients ingestAws = clientsOf("ingest", b, aws, ownClients);
            AwsClients deliveryAws = clientsOf("delivery", b, aws, ownClients);
            AwsClients managementAws = clientsOf("management", b, aws, ownClients);
            var ingest = new IngestHandler(cfg, ingestAws == aws ? wired : Stores.from(cfg, ingestAws, b.clock), b.clock);
            var management = new ManagementHandler(cfg, managementAws == aws ? wired : Stores.from(cfg, managementAws, b.clock), b.clock);
            Stores deliveryStores = deliveryAws == aws ? wired : Stores.from(cfg, deliveryAws, b.clock);
            // Each instance of the delivery function is built like a Lambda instance: its own caches, caps
            // and measurements, sharing only the stores.
            Supplier<RequestHandler<SQSEvent, SQSBatchResponse>> delivery = b.deliveryFunction != null
                    ? () -> b.deliveryFunction.apply(cfg, deliveryStores)
                    : () -> new DeliveryHandler(cfg, deliveryStores, b.clock);
            bridge.start(ingest, management);
            // Lambda's event source mapping polls with the delivery function's role: here, its clients.
            this.eventSource = b.pollers == 0 ? null
                    : new SqsEventSource(deliveryAws.sqs(), new SqsEventSource.Source(created.deliveryQueueUrl(), created.deliveryQueueArn(),
                    "signet-delivery", created.visibilityTimeout(), delivery),
                    new SqsEventSource.Scaling(b.pollers, Math.max(b.pollers, b.concurrency))).start();
            this.adminKey = adminKey;
            this.functionClients = List.copyOf(ownClients);
            this.clients = aws;
            this.stores = wired;
            this.resources = created;
            this.config = cfg;
            this.api = bridge;
            this.deleteResourcesOnClose = emulators.isShared();
        } catch (RuntimeException | Error e) {
            if (bridge != null) {
                bridge.close();
            }
            ownClients.forEach(SignetStack::closeQuietly);
            if (created != null && emulators.isShared()) {
                deleteQuietly(created, aws);
            }
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:8080}; also the configured public URL. */
    public URI baseUrl() {
        return api.baseUrl();
    }

    /** An HTTP client of this stack's API. */
    public ApiClient api() {
        return new ApiClient(baseUrl());
    }

    public int port() {
        return api.port();
    }

    public String adminKey() {
        return adminKey;
    }

    /** The function's own clients (with its interceptors) when the builder asked for them, else the stack's. */
    private AwsClients clientsOf(String function, Builder b, AwsClients shared, List<AwsClients> own) {
        if (b.interceptors == null) {
            return shared;
        }
        AwsClients clients = AwsClients.forEmulators(emulators.dynamoAndSecretsEndpoint(), emulators.sqsEndpoint(),
                b.interceptors.apply(function).toArray(ExecutionInterceptor[]::new));
        own.add(clients);
        return clients;
    }

    private static void closeQuietly(AwsClients clients) {
        clients.dynamo().close();
        clients.sqs().close();
        clients.secrets().close();
    }

    /** SDK clients pointed at the emulators (what the functions use). */
    public AwsClients clients() {
        return clients;
    }

    /** The adapters the functions were built with (the same instances). */
    public Stores stores() {
        return stores;
    }

    /** Table names, queue URLs and ARNs of this stack. */
    public LocalResources resources() {
        return resources;
    }

    /** The configuration the functions were built with. */
    public SignetConfig config() {
        return config;
    }

    public Emulators emulators() {
        return emulators;
    }

    /**
     * Stops the API and the pollers, and deletes this stack's tables and queues from shared emulators
     * (unless the JVM is exiting anyway). Emulators are never stopped here: the shared ones stop when
     * the JVM exits, and emulators passed to {@link Builder#emulators} belong to the caller.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        api.close();
        if (eventSource != null) {
            eventSource.close();
        }
        if (deleteResourcesOnClose && !Jvm.shuttingDown()) {
            deleteQuietly(resources, clients);
        }
        functionClients.forEach(SignetStack::closeQuietly);
        closeQuietly(clients);
    }

    private static void deleteQuietly(LocalResources resources, AwsClients aws) {
        try {
            resources.delete(aws);
        } catch (RuntimeException e) {
            System.err.println("signet-local: could not delete " + resources.prefix() + "'s tables and queues: " + e);
        }
    }

    /** Options for {@link SignetStack}; every one has a local default. */
    public static final class Builder {
        private int port = 0;
        private String adminKey;
        private String retrySchedule;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Emulators emulators;
        private Clock clock = Clock.systemUTC();
        private Duration visibilityTimeout = LocalResources.DEFAULT_VISIBILITY_TIMEOUT;
        private int pollers = SqsEventSource.DEFAULT_POLLERS;
        private int concurrency = SqsEventSource.DEFAULT_MAX_CONCURRENCY;
        private String prefix;
        private BiFunction<SignetConfig, Stores, RequestHandler<SQSEvent, SQSBatchResponse>> deliveryFunction;
        private Function<String, List<ExecutionInterceptor>> interceptors;
        private boolean adminKeyInSecretsManager;

        private Builder() {
        }

        /**
         * Gives each function ({@code "ingest"}, {@code "delivery"}, {@code "management"}) SDK clients of its
         * own with these interceptors, e.g. to record which calls each one makes; the delivery function's
         * also serve the queue pollers, as Lambda's event source mapping uses that function's role.
         */
        public Builder awsInterceptors(Function<String, List<ExecutionInterceptor>> perFunction) {
            this.interceptors = Objects.requireNonNull(perFunction);
            return this;
        }

        /** Keeps the admin key in a Secrets Manager secret that the functions read, as in AWS, instead of SIGNET_ADMIN_KEY. */
        public Builder adminKeyInSecretsManager() {
            this.adminKeyInSecretsManager = true;
            return this;
        }

        /** The API's port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535");
            }
            this.port = port;
            return this;
        }

        /** SIGNET_ADMIN_KEY; generated when not set. */
        public Builder adminKey(String adminKey) {
            this.adminKey = adminKey;
            return this;
        }

        /** SIGNET_RETRY_SCHEDULE, e.g. {@code "1s,2s,5s"}; the contract's default schedule when not set. */
        public Builder retrySchedule(String retrySchedule) {
            this.retrySchedule = retrySchedule;
            return this;
        }

        /** Any SIGNET_* variable; these override the stack's own values. */
        public Builder env(String name, String value) {
            this.env.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /** Emulators to run on; {@link Emulators#shared()} by default. The caller stops the ones it passes. */
        public Builder emulators(Emulators emulators) {
            this.emulators = emulators;
            return this;
        }

        /** The clock handed to the three functions. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The deliveries queue's visibility timeout (60 s by default); also the delivery function's timeout. */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            if (visibilityTimeout.isNegative() || visibilityTimeout.toSeconds() > 43_200) {
                throw new IllegalArgumentException("visibility timeout must be 0 s to 12 h");
            }
            this.visibilityTimeout = visibilityTimeout;
            return this;
        }

        /** Pollers feeding the delivery function (2 by default); 0 leaves the deliveries queue alone. */
        public Builder pollers(int pollers) {
            if (pollers < 0) {
                throw new IllegalArgumentException("pollers must not be negative");
            }
            this.pollers = pollers;
            return this;
        }

        /**
         * Instances of the delivery function invoked at once (10 by default), as the SQS event source's
         * maximum concurrency is in AWS; each keeps its own caches and per-endpoint caps.
         */
        public Builder concurrency(int concurrency) {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1");
            }
            this.concurrency = concurrency;
            return this;
        }

        /** Name prefix of the tables, queues and secrets; a unique one by default. */
        public Builder prefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** Replaces the delivery function the pollers invoke (each instance built from the stack's config and stores). */
        public Builder deliveryFunction(BiFunction<SignetConfig, Stores, RequestHandler<SQSEvent, SQSBatchResponse>> factory) {
            this.deliveryFunction = factory;
            return this;
        }

        public SignetStack start() {
            return new SignetStack(this);
        }
    }
}
