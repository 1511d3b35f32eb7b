package dev.signet.delivery;

import dev.signet.core.urlguard.UrlGuard;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: a receiver that accepts the TCP connection and then never answers the TLS ClientHello
 * cannot hold a delivery past the endpoint's timeout (the whole exchange is bounded, TLS included).
 */
class AStalledTlsHandshakeTimesOutTest {

    @Test
    void aSilentTlsPeerIsCutOffAtTheTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (!silent.isClosed()) {
                        held.add(silent.accept()); // accept, read nothing, say nothing
                    }
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            UrlGuard httpsOnly = new UrlGuard(false, List.of("127.0.0.1/32"), InetAddress::getAllByName);

            long started = System.nanoTime();
            WebhookSender.Result result = new WebhookClient(httpsOnly).send("POST",
                    "https://127.0.0.1:" + silent.getLocalPort() + "/hook", Map.of(), new byte[] {'{', '}'}, Duration.ofSeconds(1));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class, f -> {
                assertThat(f.error()).contains("timed out");
                assertThat(f.blocked()).isFalse();
            });
            assertThat(took).isLessThan(Duration.ofSeconds(4));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
