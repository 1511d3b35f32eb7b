package dev.signet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.api.ApiException;
import dev.signet.api.ApiGateway;
import dev.signet.api.ApiResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Stands in for API Gateway (HTTP API, payload format 2.0) in local mode: an HTTP server on 127.0.0.1
 * that turns each request into an {@link APIGatewayV2HTTPEvent}, invokes the function that owns the
 * route ({@code POST /v1/events} and {@code /v1/events/batch}: ingest; everything else: management),
 * and writes the function's response back. Like API Gateway it rejects bodies over 10 MiB itself.
 */
public final class ApiGatewayBridge implements AutoCloseable {
    /** API Gateway's payload limit. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** API Gateway's integration timeout, handed to the functions as their remaining time. */
    static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(29);

    private static final Set<String> INGEST_PATHS = Set.of("/v1/events", "/v1/events/batch");
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI baseUrl;
    private volatile boolean started;

    private ApiGatewayBridge(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
        this.baseUrl = URI.create("http://" + Emulators.HOST + ":" + server.getAddress().getPort());
    }

    /**
     * Binds 127.0.0.1:{@code port} (0 picks a free port) without serving yet, so the base URL is known
     * before the functions are built (their configuration names it as the public URL).
     */
    public static ApiGatewayBridge bind(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(Emulators.HOST), port), 128);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.setExecutor(executor);
            return new ApiGatewayBridge(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + Emulators.HOST + ":" + port + " (" + e.getMessage()
                    + "); is another Signet running? Choose another port with SIGNET_PORT or --port", e);
        }
    }

    /** Starts serving: each request goes to the function that owns its route. */
    public synchronized ApiGatewayBridge start(
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> ingest,
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> management) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        server.createContext("/", exchange -> serve(exchange, ingest, management));
        server.start();
        started = true;
        return this;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }

    private void serve(HttpExchange exchange,
                       RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> ingest,
                       RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> management) {
        try (exchange) {
            byte[] body = readBody(exchange);
            if (body == null) {
                write(exchange, ApiGateway.error(ApiException.tooLarge(
                        "request body is larger than " + MAX_BODY_BYTES + " bytes (10 MiB), the API's limit")));
                return;
            }
            APIGatewayV2HTTPEvent event = toEvent(exchange, body);
            boolean toIngest = INGEST_PATHS.contains(event.getRawPath());
            String function = toIngest ? "signet-ingest" : "signet-management";
            String requestId = event.getRequestContext().getRequestId();
            APIGatewayV2HTTPResponse response;
            try {
                var context = new LocalLambdaContext(function, requestId, FUNCTION_TIMEOUT);
                response = (toIngest ? ingest : management).handleRequest(event, context);
                if (response == null) {
                    throw new IllegalStateException(function + " returned no response");
                }
            } catch (RuntimeException | Error e) {
                // As API Gateway does when the function fails: a 500, with details only in the logs.
                System.err.println("signet-local: " + function + " failed on " + event.getRequestContext().getHttp().getMethod()
                        + " " + event.getRawPath() + " (request " + requestId + "):");
                e.printStackTrace();
                write(exchange, ApiGateway.error(ApiException.internal(requestId)));
                return;
            }
            write(exchange, response);
        } catch (IOException e) {
            // The client went away; nothing to answer.
        } catch (RuntimeException e) {
            System.err.println("signet-local: could not answer " + exchange.getRequestURI() + ": " + e);
        }
    }

    /**
     * The body, or null when it exceeds {@link #MAX_BODY_BYTES}. An oversized body is still read to
     * its end (and dropped), so the client gets the 413 rather than a reset connection.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            if (declared != null && declared.trim().matches("\\d{1,18}") && Long.parseLong(declared.trim()) > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            return body;
        }
    }

    /** The event API Gateway (HTTP API, payload format 2.0) would send for this request. */
    static APIGatewayV2HTTPEvent toEvent(HttpExchange exchange, byte[] body) {
        Instant now = Instant.now();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String rawQuery = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        String sourceIp = exchange.getRemoteAddress().getAddress().getHostAddress();
        String requestId = requestId();

        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        Headers received = exchange.getRequestHeaders();
        for (Map.Entry<String, List<String>> header : received.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                // Payload 2.0 moves cookies out of the headers into their own list.
                for (String value : header.getValue()) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.trim());
                        }
                    }
                }
                continue;
            }
            headers.merge(name, String.join(",", header.getValue()), (a, b) -> a + "," + b);
        }
        headers.putIfAbsent("x-forwarded-for", sourceIp);
        headers.putIfAbsent("x-forwarded-proto", "http");
        headers.putIfAbsent("x-forwarded-port", Integer.toString(exchange.getLocalAddress().getPort()));
        headers.putIfAbsent("x-amzn-trace-id", traceId(now));
        if (body.length > 0) {
            headers.putIfAbsent("content-length", Integer.toString(body.length));
        }
        String host = headers.getOrDefault("host", Emulators.HOST + ":" + exchange.getLocalAddress().getPort());

        String routeKey = INGEST_PATHS.contains(rawPath) ? method + " " + rawPath : "$default";
        String text = body.length == 0 ? null : utf8(body);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(queryParameters(rawQuery))
                .withBody(body.length == 0 ? null : text != null ? text : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && text == null)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withAccountId(Emulators.ACCOUNT_ID)
                        .withApiId("local")
                        .withStage("$default")
                        .withDomainName(host)
                        .withDomainPrefix(host.split("[.:]")[0])
                        .withRequestId(requestId)
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(rawPath)
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(sourceIp)
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    /** Decoded parameters, repeated ones joined with commas as API Gateway does; null when there are none. */
    static Map<String, String> queryParameters(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.merge(name, value, (a, b) -> a + "," + b);
        }
        return params.isEmpty() ? null : params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s;
        }
    }

    /** The body as text when it is valid UTF-8, else null (API Gateway then sends it base64-encoded). */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String requestId() {
        byte[] bytes = new byte[10];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String traceId(Instant now) {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + HexFormat.of().formatHex(bytes);
    }

    private static void write(HttpExchange exchange, ApiResponse response) throws IOException {
        write(exchange, APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build());
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response) throws IOException {
        Headers out = exchange.getResponseHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (!isFramingHeader(name) && value != null) {
                    out.set(name, value);
                }
            });
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> {
                if (!isFramingHeader(name) && values != null) {
                    values.forEach(v -> out.add(name, v));
                }
            });
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(c -> out.add("Set-Cookie", c));
        }
        String text = response.getBody();
        byte[] body = text == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        int status = response.getStatusCode() == 0 ? 200 : response.getStatusCode();
        boolean noBody = body.length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private static boolean isFramingHeader(String name) {
        return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                || name.equalsIgnoreCase("connection");
    }
}
