package dev.signet.it;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.signet.testkit.TestPki;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A loopback https receiver that requires a client certificate of its own authority (mutual TLS): a
 * connection without one, or with one of another authority, ends in the handshake, before any request.
 * Records the subject of the certificate each request came with.
 */
final class TlsReceiver implements AutoCloseable {
    /** The receivers' authority: it issues the receiver's server certificate and the customers' client certificates. */
    static final TestPki.Authority AUTHORITY = TestPki.authority("Receivers CA");
    private static final TestPki.Issued SERVER = AUTHORITY.issue("receiver.signet.test", TestPki.Usage.SERVER, TestPki.KeyType.EC);

    private final HttpsServer server;
    private final List<String> subjects = new CopyOnWriteArrayList<>();

    TlsReceiver() throws IOException {
        SSLContext tls = TestPki.serverContext(SERVER, AUTHORITY);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = tls.getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        server.createContext("/", exchange -> {
            X509Certificate client = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            exchange.getRequestBody().readAllBytes();
            subjects.add(client.getSubjectX500Principal().getName());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    /** What the delivery function needs to trust this receiver's server certificate. */
    static TrustManager[] trustManagers() {
        return TestPki.trustManagers(AUTHORITY);
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The subjects of the client certificates of the requests received so far. */
    List<String> subjects() {
        return new ArrayList<>(subjects);
    }

    List<String> awaitRequests(int n, Duration timeout) {
        return Eventually.get(timeout, this::subjects, s -> s.size() >= n);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
