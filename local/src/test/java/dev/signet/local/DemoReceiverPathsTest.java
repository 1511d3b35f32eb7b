package dev.signet.local;

import dev.signet.core.signing.Signer;
import dev.signet.core.signing.WebhookSecret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo receiver's paths, over real HTTP on loopback: /webhooks verifies (the demo endpoint's
 * secret), /accept takes anything, /status/NNN answers NNN. README's portal walkthrough relies on them.
 */
class DemoReceiverPathsTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final DemoReceiver receiver = DemoReceiver.start(new PrintStream(printed, true, StandardCharsets.UTF_8));
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        receiver.close();
    }

    private HttpResponse<String> post(URI url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"order.completed\"}"));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void webhooksVerifiesAcceptTakesAnythingAndStatusAnswersWhatItSays() throws Exception {
        WebhookSecret secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        receiver.useSecret(secret);
        long now = Instant.now().getEpochSecond();
        byte[] body = "{\"type\":\"order.completed\"}".getBytes(StandardCharsets.UTF_8);
        String signature = Signer.signatureHeader("evt_1", now, body, List.of(secret));

        assertThat(post(receiver.url(), "webhook-id", "evt_1", "webhook-timestamp", Long.toString(now), "webhook-signature", signature)
                .statusCode()).isEqualTo(204);
        assertThat(post(receiver.url()).statusCode()).as("unsigned on the verifying path").isEqualTo(401);
        assertThat(post(receiver.url(DemoReceiver.ACCEPT_PATH)).statusCode()).isEqualTo(204);
        HttpResponse<String> broken = post(receiver.url(DemoReceiver.STATUS_PATH + "503"));
        assertThat(broken.statusCode()).isEqualTo(503);
        assertThat(broken.body()).contains("503");
        assertThat(post(receiver.url(DemoReceiver.STATUS_PATH + "410")).statusCode()).isEqualTo(410);
        assertThat(post(receiver.url(DemoReceiver.STATUS_PATH + "999")).statusCode()).as("not a status: verified like any path").isEqualTo(401);
        assertThat(receiver.accepted()).isEqualTo(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("answered 503 to POST /status/503");
    }
}
