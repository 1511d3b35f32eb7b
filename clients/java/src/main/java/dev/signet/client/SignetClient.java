package dev.signet.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.signet.client.Transport.Call;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A client of Signet's HTTP API for a product backend (README.md, "Emit events from your backend").
 * Thread-safe; build one per credential and keep it.
 *
 * <pre>{@code
 * SignetClient admin = SignetClient.builder().baseUrl(apiUrl).apiKey(adminKey).build();
 * CreatedWorkspace ws = admin.workspaces().create("Casterly", "casterly");
 * SignetClient ingest = admin.withApiKey(ws.ingestKey());
 * Emitted e = ingest.events().emit(NewEvent.of("order.completed", Map.of("order_id", "ord_lannister_77")));
 * }</pre>
 *
 * <p>The admin key manages workspaces, sessions, endpoints and their statistics, the delivery log
 * and the event type catalog, and reads the egress addresses; a workspace's ingest key emits its events. Every error is a {@link SignetException}:
 * {@link SignetApiException} when Signet answered, {@link SignetConnectionException} when it did not.
 */
public final class SignetClient {
    private final Builder settings;
    private final Transport transport;
    private final Events events;
    private final Workspaces workspaces;
    private final Endpoints endpoints;
    private final DeliveryLog deliveryLog;
    private final EventTypes eventTypes;

    private SignetClient(Builder b) {
        this.settings = b.copy();
        HttpClient http = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                // Cleartext HTTP/2 needs an upgrade round that plain servers ignore or refuse; https negotiates it.
                .version("http".equalsIgnoreCase(b.baseUrl.getScheme()) ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2)
                .build();
        this.settings.httpClient = http;
        this.transport = new Transport(http, b.baseUrl, b.apiKey, b.requestTimeout, b.retries, b.objectMapper, b.sleeper, b.random);
        this.events = new Events(transport);
        this.workspaces = new Workspaces(transport);
        this.endpoints = new Endpoints(transport);
        this.deliveryLog = new DeliveryLog(transport);
        this.eventTypes = new EventTypes(transport);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same client (base URL, HTTP client, timeouts, retries) with another key, e.g. a workspace's ingest key. */
    public SignetClient withApiKey(String apiKey) {
        Builder b = settings.copy();
        return b.apiKey(apiKey).build();
    }

    /** Emitting events (ingest key). */
    public Events events() {
        return events;
    }

    /** Workspaces, ingest keys and portal sessions (admin key). */
    public Workspaces workspaces() {
        return workspaces;
    }

    /** Reading, enabling, disabling and deleting endpoints, and their statistics (admin key). */
    public Endpoints endpoints() {
        return endpoints;
    }

    /** The delivery log, event detail, retry and recover (admin key). */
    public DeliveryLog deliveryLog() {
        return deliveryLog;
    }

    /** The event type catalog (admin key). */
    public EventTypes eventTypes() {
        return eventTypes;
    }

    /** The fixed public addresses deliveries leave from, for receivers that allowlist senders; empty when there are none. */
    public List<String> egressIps() {
        return Wire.strings(transport.send(Call.get("/v1/egress")).body(), "ips");
    }

    public static final class Builder {
        private URI baseUrl;
        private String apiKey;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private RetrySettings retries = RetrySettings.defaults();
        private HttpClient httpClient;
        private ObjectMapper objectMapper = JsonMapper.builder().build();
        private Transport.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private RandomGenerator random = RandomGenerator.getDefault();

        private Builder() {
        }

        /** The API's URL, e.g. {@code http://127.0.0.1:8080} or the stack's {@code ApiUrl} output. */
        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl")));
        }

        public Builder baseUrl(URI baseUrl) {
            String scheme = Objects.requireNonNull(baseUrl, "baseUrl").getScheme();
            if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("baseUrl must be an http(s) URL such as https://api.example.com, got " + baseUrl);
            }
            this.baseUrl = baseUrl;
            return this;
        }

        /** The admin key, or a workspace's ingest key, sent as {@code Authorization: Bearer …}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
            return this;
        }

        /** How long to wait for a connection (default 10 s); ignored with {@link #httpClient}, which has its own. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        /** How long one request may take before it counts as failed (default 30 s; Signet answers within 25 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        public Builder retries(RetrySettings retries) {
            this.retries = Objects.requireNonNull(retries, "retries");
            return this;
        }

        /** Your own JDK HttpClient (proxy, TLS settings, executor). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /** The mapper that writes payloads, schemas and examples (e.g. one with your modules registered). */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = Objects.requireNonNull(objectMapper, "objectMapper");
            return this;
        }

        Builder sleeper(Transport.Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public SignetClient build() {
            if (baseUrl == null) {
                throw new IllegalStateException("set baseUrl, e.g. http://127.0.0.1:8080");
            }
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalStateException("set apiKey: the admin key, or a workspace's ingest key to emit events");
            }
            return new SignetClient(this);
        }

        private Builder copy() {
            Builder b = new Builder();
            b.baseUrl = baseUrl;
            b.apiKey = apiKey;
            b.connectTimeout = connectTimeout;
            b.requestTimeout = requestTimeout;
            b.retries = retries;
            b.httpClient = httpClient;
            b.objectMapper = objectMapper;
            b.sleeper = sleeper;
            b.random = random;
            return b;
        }
    }
}
