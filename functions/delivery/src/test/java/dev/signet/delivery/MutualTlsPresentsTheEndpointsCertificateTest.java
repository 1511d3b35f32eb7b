package dev.signet.delivery;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.signet.core.endpoint.ClientCertificate;
import dev.signet.core.urlguard.UrlGuard;
import dev.signet.testkit.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.signet.delivery.TestCertificates.CASTERLY;
import static dev.signet.delivery.TestCertificates.EXPIRED;
import static dev.signet.delivery.TestCertificates.HIGHGARDEN;
import static dev.signet.delivery.TestCertificates.INTRUDER;
import static dev.signet.delivery.TestCertificates.OTHER_CA;
import static dev.signet.delivery.TestCertificates.RECEIVER;
import static dev.signet.delivery.TestCertificates.RECEIVERS_CA;
import static dev.signet.delivery.TestCertificates.RIVERRUN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, endpoints: with a {@code tls_client_certificate} the TLS connection presents it (mutual TLS).
 * A loopback https receiver that requires a client certificate issued by its own authority (made in the
 * test with keytool) accepts the request of an endpoint that has one and refuses the others before any
 * request reaches it; the URL guard and its pinned addresses apply as to any delivery.
 */
class MutualTlsPresentsTheEndpointsCertificateTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final byte[] BODY = "{\"type\":\"order.completed\"}".getBytes();

    private static HttpsServer receiver;
    /** The subject of the client certificate of each request that reached the handler. */
    private static final List<String> presented = new CopyOnWriteArrayList<>();
    private static TrustManager[] trustReceivers;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        SSLContext tls = TestPki.serverContext(RECEIVER, RECEIVERS_CA);

        receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        receiver.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true); // no certificate of the receivers' authority: no connection
                params.setSSLParameters(p);
            }
        });
        receiver.createContext("/", exchange -> {
            X509Certificate client = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            presented.add(client.getSubjectX500Principal().getName());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        url = "https://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";

        trustReceivers = TestPki.trustManagers(RECEIVERS_CA);
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    private static WebhookClient client(List<String> allowedCidrs) {
        return new WebhookClient(new UrlGuard(false, allowedCidrs, InetAddress::getAllByName), trustReceivers);
    }

    private static ClientCertificate certificate(TestPki.Issued issued) {
        return ClientCertificate.read(issued.chainPem(), issued.privateKeyPem());
    }

    private static WebhookSender.Result send(WebhookClient client, ClientCertificate certificate) {
        return client.send("POST", url, Map.of("content-type", "application/json"), BODY, TIMEOUT, certificate);
    }

    @Test
    void theEndpointsCertificateIsPresentedAndAccepted() {
        presented.clear();

        WebhookSender.Result result = send(client(List.of("127.0.0.1/32")), certificate(CASTERLY));

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Response.class, r -> assertThat(r.status()).isEqualTo(204));
        assertThat(presented).containsExactly("CN=casterly,O=Signet tests");
    }

    @Test
    void rsaAndEd25519CertificatesArePresentedToo() {
        presented.clear();
        WebhookClient client = client(List.of("127.0.0.1/32"));

        assertThat(send(client, certificate(RIVERRUN))).isInstanceOf(WebhookSender.Response.class);
        assertThat(send(client, certificate(HIGHGARDEN))).isInstanceOf(WebhookSender.Response.class);

        assertThat(presented).containsExactly("CN=riverrun,O=Signet tests", "CN=highgarden,O=Signet tests");
    }

    @Test
    void anEndpointWithoutACertificateIsRefusedBeforeAnyRequest() {
        presented.clear();

        WebhookSender.Result result = send(client(List.of("127.0.0.1/32")), null);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class, f -> assertThat(f.blocked()).isFalse());
        assertThat(presented).isEmpty();
    }

    @Test
    void aCertificateOfAnAuthorityTheReceiverDoesNotTrustIsRefused() {
        presented.clear();

        WebhookSender.Result result = send(client(List.of("127.0.0.1/32")), certificate(INTRUDER));

        assertThat(result).isInstanceOf(WebhookSender.Failure.class);
        assertThat(presented).isEmpty();
        assertThat(OTHER_CA.certificate()).isNotEqualTo(RECEIVERS_CA.certificate());
    }

    @Test
    void aConnectionMadeWithOneEndpointsCertificateNeverCarriesAnotherEndpointsRequest() {
        presented.clear();
        WebhookClient client = client(List.of("127.0.0.1/32"));

        // Same receiver, one after the other: a pooled connection would be reused if clients were shared.
        assertThat(send(client, certificate(CASTERLY))).isInstanceOf(WebhookSender.Response.class);
        assertThat(send(client, null)).isInstanceOf(WebhookSender.Failure.class);
        assertThat(send(client, certificate(RIVERRUN))).isInstanceOf(WebhookSender.Response.class);
        assertThat(send(client, certificate(CASTERLY))).isInstanceOf(WebhookSender.Response.class);

        assertThat(presented).containsExactly("CN=casterly,O=Signet tests", "CN=riverrun,O=Signet tests", "CN=casterly,O=Signet tests");
        assertThat(client.clientsWithCertificates()).as("one HTTP client per distinct certificate, reused").isEqualTo(2);
    }

    @Test
    void theUrlGuardStillDecidesWhereACertificateMayBePresented() {
        presented.clear();

        WebhookSender.Result result = send(client(List.of()), certificate(CASTERLY)); // loopback not allowed

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class, f -> {
            assertThat(f.blocked()).isTrue();
            assertThat(f.error()).contains("which webhooks may not reach");
        });
        assertThat(presented).isEmpty();
    }

    @Test
    void aCertificateThatExpiredSinceItWasSavedFailsTheAttemptSayingSo() {
        presented.clear();
        ClientCertificate stored = certificate(EXPIRED); // read as from storage: no time check

        WebhookSender.Result result = send(client(List.of("127.0.0.1/32")), stored);

        assertThat(result).isInstanceOfSatisfying(WebhookSender.Failure.class, f -> {
            assertThat(f.blocked()).as("retried: a new certificate saved in time is used").isFalse();
            assertThat(f.error()).startsWith("tls_client_certificate: the certificate (").contains("expired at")
                    .endsWith("save a new one on the endpoint");
        });
        assertThat(presented).isEmpty();
    }
}
