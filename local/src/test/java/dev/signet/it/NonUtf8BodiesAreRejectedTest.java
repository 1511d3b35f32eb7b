package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ingest bodies are UTF-8 (a leading UTF-8 byte order mark is tolerated): a body in UTF-16 or
 * UTF-32, or with bytes that are not UTF-8, is a 400 naming the body, never a 500, and queues nothing.
 */
class NonUtf8BodiesAreRejectedTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void utf16Utf32AndInvalidUtf8BodiesAre400sAndQueueNothing() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant tenant = signet.tenant("not-utf8", Tenant.endpointFor(receiver.url()));
            String batch = "{\"events\":[" + Tenant.SEED_EVENT + "]}";
            for (String path : new String[]{"/v1/events", "/v1/events/batch"}) {
                String json = path.endsWith("batch") ? batch : Tenant.SEED_EVENT;
                badBodies(json).forEach((what, body) -> {
                    ApiClient.Reply r = signet.api().send("POST", path, tenant.ingestKey(), Map.of("Content-Type", "application/json"), body);
                    assertThat(r.status()).as(what + " to " + path + ": " + r.body()).isEqualTo(400);
                    assertThat(r.json().path("error").path("code").asText()).isEqualTo("invalid_request");
                    assertThat(r.json().path("error").path("message").asText()).as(what).startsWith("body ").contains("UTF-8");
                });
            }

            // The one body that may be queued: UTF-8 behind a byte order mark. Once the queue is empty,
            // it is all the receiver got, so none of the rejected bodies was queued.
            byte[] withBom = concat(HexFormat.of().parseHex("EFBBBF"), Tenant.SEED_EVENT.getBytes(StandardCharsets.UTF_8));
            ApiClient.Reply accepted = signet.api().send("POST", "/v1/events", tenant.ingestKey(), Map.of(), withBom);
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
            receiver.awaitRequests(1, Duration.ofSeconds(20));
            signet.awaitDeliveriesDrained();
            assertThat(receiver.requests()).singleElement().satisfies(got -> {
                assertThat(got.header("webhook-id")).isEqualTo(accepted.text("id"));
                JsonNode delivered = Json.parseTrusted(new String(got.body(), StandardCharsets.UTF_8));
                assertThat(delivered.path("data").path("order_id").asText()).isEqualTo("ord_lannister_77");
            });
        }
    }

    private static Map<String, byte[]> badBodies(String json) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("UTF-16LE", json.getBytes(StandardCharsets.UTF_16LE));
        bodies.put("UTF-16LE with BOM", concat(HexFormat.of().parseHex("FFFE"), json.getBytes(StandardCharsets.UTF_16LE)));
        bodies.put("UTF-16BE", json.getBytes(StandardCharsets.UTF_16BE));
        bodies.put("UTF-16BE with BOM", json.getBytes(StandardCharsets.UTF_16)); // Java's UTF-16 writes a big-endian BOM
        bodies.put("UTF-32LE", json.getBytes(Charset.forName("UTF-32LE")));
        bodies.put("UTF-32BE with BOM", concat(HexFormat.of().parseHex("0000FEFF"), json.getBytes(Charset.forName("UTF-32BE"))));
        bodies.put("Latin-1 (invalid UTF-8)", json.replace("usd", "\u00e9cu").getBytes(StandardCharsets.ISO_8859_1));
        bodies.put("a lone continuation byte", concat(json.substring(0, json.length() - 2).getBytes(StandardCharsets.UTF_8),
                HexFormat.of().parseHex("80"), json.substring(json.length() - 2).getBytes(StandardCharsets.UTF_8)));
        return bodies;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
