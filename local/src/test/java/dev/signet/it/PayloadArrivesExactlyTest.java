package dev.signet.it;

import dev.signet.local.ApiClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emitted payload reaches the receiver unchanged (README, "What a delivery looks like"): same keys in the same order, numbers
 * with the same digits, identical strings; in the envelope and in raw format.
 */
class PayloadArrivesExactlyTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");
    static final String PAYLOAD = "{\"z_first\":1,\"amount\":12345678901234567890.12345678901234567890,"
            + "\"big\":123456789012345678901234567890,\"tiny\":1e-400,\"neg_zero\":-0.0,"
            + "\"nested\":{\"y\":[3,2,1,{\"b\":null,\"a\":true}],\"x\":\"Lannister — Cersei 日本語 \\ud83e\\udd81 é\"},"
            + "\"escaped\":\"\\\"quoted\\\" \\\\ \\u00e9\\n\",\"a_last\":\"\"}";


    private static String event(String payload) {
        return "{\"event\":\"order.completed\",\"payload\":" + payload + "}";
    }

    @Test
    void theEnvelopeCarriesTheExactPayloadText() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant tenant = signet.tenant("exact-envelope", Tenant.endpointFor(receiver.url()));
            String eventId = tenant.emit(signet.api(), event(PAYLOAD)).text("id");
            String body = receiver.awaitRequests(1, Duration.ofSeconds(20)).getFirst().bodyText();
            assertThat(body).isEqualTo("{\"id\":\"" + eventId + "\",\"type\":\"order.completed\",\"timestamp\":\""
                    + body.substring(body.indexOf("\"timestamp\":\"") + 13, body.indexOf("\",\"resource\""))
                    + "\",\"resource\":null,\"resource_id\":null,\"data\":" + PAYLOAD + "}");
        }
    }

    @Test
    void rawFormatSendsThePayloadAloneByteForByte() throws Exception {
        String spaced = "{\n  \"b\" : 2 ,\n  \"a\" : [ 1.50 , 2E+3 ]\n}";
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant tenant = signet.tenant("exact-raw",
                    "{\"url\":\"" + receiver.url() + "\",\"payload_format\":\"raw\"}");
            tenant.emit(signet.api(), event(PAYLOAD));
            tenant.emit(signet.api(), event(spaced));
            var got = receiver.awaitRequests(2, Duration.ofSeconds(20));
            assertThat(got).extracting(TestReceiver.Received::bodyText).containsExactlyInAnyOrder(PAYLOAD, spaced);
            assertThat(got.getFirst().body()).isEqualTo(
                    got.getFirst().bodyText().equals(PAYLOAD) ? PAYLOAD.getBytes(StandardCharsets.UTF_8) : spaced.getBytes(StandardCharsets.UTF_8));
        }
    }
}
