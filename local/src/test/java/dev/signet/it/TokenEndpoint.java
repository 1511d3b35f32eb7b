package dev.signet.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback OAuth 2.0 token endpoint (client credentials grant, RFC 6749 section 4.4): checks the
 * client's id and secret sent with HTTP Basic, issues {@code <prefix>-1}, {@code <prefix>-2}, … with
 * the configured {@code expires_in}, and counts the token requests. Refuses a wrong secret with 401
 * {@code invalid_client}, as providers do.
 */
final class TokenEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final String clientId;
    private final String clientSecret;
    private final String prefix;
    private final long expiresIn;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    TokenEndpoint(String clientId, String clientSecret, String prefix, long expiresIn) throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.prefix = prefix;
        this.expiresIn = expiresIn;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/oauth/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(form);
            String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
            String body;
            int status;
            if (!expected.equals(exchange.getRequestHeaders().getFirst("authorization"))) {
                status = 401;
                body = "{\"error\":\"invalid_client\",\"error_description\":\"unknown client or wrong secret\"}";
            } else if (!form.contains("grant_type=client_credentials")) {
                status = 400;
                body = "{\"error\":\"unsupported_grant_type\"}";
            } else {
                status = 200;
                body = "{\"access_token\":\"" + prefix + "-" + issued.incrementAndGet() + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}";
            }
            byte[] out = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("content-type", "application/json");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token";
    }

    /** The endpoint's {@code auth} with this token endpoint and {@code secret} as the client secret. */
    String auth(String secret) {
        return "{\"type\":\"oauth2_client_credentials\",\"token_url\":\"" + url() + "\",\"client_id\":\"" + clientId
                + "\",\"client_secret\":\"" + secret + "\",\"scope\":\"webhooks:write\"}";
    }

    String auth() {
        return auth(clientSecret);
    }

    /** The token requests so far (their form bodies). */
    List<String> requests() {
        return new ArrayList<>(requests);
    }

    /** The last token issued, e.g. {@code casterly-2}. */
    String lastToken() {
        return prefix + "-" + issued.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
