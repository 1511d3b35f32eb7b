package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.core.urlguard.UrlGuard;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: every management JSON body, however hostile (random bytes, near-valid endpoint bodies with
 * wrong types and oversized values, deep nesting), is read into values or refused with a 4xx
 * {@link ApiException} — never another exception (a 500), a stack overflow or a hang. Validation
 * runs completely before any store is touched (see EndpointChangesAreAllOrNothingTest), so a refused
 * body writes nothing. A seeded random walk (500 bodies) keeps it fast and reproducible.
 */
class HostileManagementBodiesAreRejectedCleanlyTest {
    private static final UrlGuard GUARD = new UrlGuard(false, List.of(), host -> {
        try {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 216, 34})};
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    });
    private static final List<String> KEYS = List.of("url", "description", "method", "payload_format", "event_types",
            "headers", "auth", "timeout_seconds", "enabled", "secret", "type", "username", "password", "token", "name", "value",
            "signature_scheme", "tls_client_certificate", "certificate", "private_key", "token_url", "client_id", "client_secret", "scope");
    private static final List<String> VALUES = List.of("null", "true", "-1", "0", "31", "1e400", "123456789012345678901234567890",
            "\"\"", "\"https://example.com/hook\"", "\"https://10.0.0.1/\"", "\"https://[::1]/\"", "\"POST\"", "\"GET\"", "\"raw\"",
            "[]", "[\"a.b\"]", "[1,2]", "{}", "{\"x-a\":\"b\"}", "{\"Host\":\"evil\"}", "{\"x\":\"a\\r\\nb\"}", "{\"type\":\"basic\"}",
            "{\"type\":\"header\",\"name\":\"webhook-id\",\"value\":\"x\"}", "{\"type\":\"bearer\",\"token\":{}}", "\"whsec_AAAA\"",
            "\"v1a\"", "{\"type\":\"oauth2_client_credentials\"}", "\"https://auth.example.com/token\"",
            "{\"certificate\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\",\"private_key\":\"x\"}",
            "\"\\ud800\"", "\"" + "x".repeat(5000) + "\"");

    @Test
    void noBodyProducesAnythingButValuesOrA4xx() {
        Random random = new Random(6);
        for (int i = 0; i < 500; i++) {
            readCleanly(body(random, i));
        }
    }

    @Test
    void deepNestingIsA400NotAStackOverflow() {
        for (int depth : List.of(100, 1_001, 5_000, 60_000)) {
            readCleanly(("{\"headers\":" + "[".repeat(depth) + "]".repeat(depth) + "}").getBytes(StandardCharsets.UTF_8));
            readCleanly(("{\"auth\":" + "{\"a\":".repeat(depth)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] body(Random random, int i) {
        return switch (i % 3) {
            case 0 -> {
                byte[] b = new byte[random.nextInt(300)];
                random.nextBytes(b);
                yield b;
            }
            case 1 -> {
                List<String> fields = new ArrayList<>();
                for (int f = random.nextInt(6); f > 0; f--) {
                    fields.add("\"" + KEYS.get(random.nextInt(KEYS.size())) + "\":" + VALUES.get(random.nextInt(VALUES.size())));
                }
                yield ("{" + String.join(",", fields) + "}").getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                String alphabet = "{}[]\":,0123456789.e-ntrufals\\ ";
                StringBuilder s = new StringBuilder();
                for (int c = random.nextInt(200); c > 0; c--) {
                    s.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                yield s.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    private static void readCleanly(byte[] bytes) {
        long started = System.nanoTime();
        ApiRequest request = new ApiRequest("POST", "/v1/workspaces/ws_a/endpoints", Map.of(), Map.of(), bytes, "req");
        try {
            Body body = Body.of(request, EndpointInput.CREATE_FIELDS);
            if (body.has("url")) {
                EndpointInput.url(body, GUARD);
            }
            EndpointInput.description(body);
            EndpointInput.method(body);
            EndpointInput.payloadFormat(body);
            EndpointInput.eventTypes(body);
            EndpointInput.headers(body);
            EndpointInput.auth(body, GUARD);
            EndpointInput.signatureScheme(body);
            EndpointInput.clientCertificate(body, java.time.Instant.now());
            EndpointInput.timeoutSeconds(body);
            EndpointInput.secret(body);
            if (body.has("enabled")) {
                EndpointInput.enabled(body);
            }
        } catch (ApiException e) {
            assertThat(e.status()).as(e.getMessage()).isBetween(400, 499);
        } catch (dev.signet.core.event.InvalidInputException e) {
            assertThat(e.getMessage()).as("a 400 names what to fix").isNotBlank(); // ApiGateway answers it with 400
        }
        assertThat((System.nanoTime() - started) / 1_000_000).as("read time").isLessThan(2_000);
    }
}
