package dev.signet.delivery;

import dev.signet.core.endpoint.ClientCertificate;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.signet.delivery.TestCertificates.CASTERLY;
import static dev.signet.delivery.TestCertificates.HIGHGARDEN;
import static dev.signet.delivery.TestCertificates.RIVERRUN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery function keeps one HTTP client per client certificate (each with its own connections
 * and TLS sessions), but not without bound: past the limit, the least recently used one is shut down,
 * and made again when its certificate is used again.
 */
class CertificateClientsAreBoundedTest {

    private static ClientCertificate certificate(dev.signet.testkit.TestPki.Issued issued) {
        return ClientCertificate.read(issued.chainPem(), issued.privateKeyPem());
    }

    @Test
    void theLeastRecentlyUsedClientIsShutDownPastTheLimit() throws InterruptedException {
        List<HttpClient> made = new ArrayList<>();
        ClientCertificateClients clients = new ClientCertificateClients(tls -> {
            HttpClient c = HttpClient.newBuilder().sslContext(tls).build();
            made.add(c);
            return c;
        }, null, 2);

        HttpClient casterly = clients.forCertificate(certificate(CASTERLY));
        HttpClient riverrun = clients.forCertificate(certificate(RIVERRUN));
        assertThat(clients.forCertificate(certificate(CASTERLY))).as("the same certificate, the same client").isSameAs(casterly);
        HttpClient highgarden = clients.forCertificate(certificate(HIGHGARDEN)); // riverrun is now the least recently used

        assertThat(clients.size()).isEqualTo(2);
        assertThat(made).containsExactly(casterly, riverrun, highgarden);
        assertThat(riverrun.awaitTermination(Duration.ofSeconds(10))).as("the evicted client is shut down").isTrue();
        assertThat(casterly.isTerminated()).isFalse();
        assertThat(clients.forCertificate(certificate(RIVERRUN))).as("made again when needed").isNotSameAs(riverrun);
        assertThat(made).hasSize(4);
    }
}
