package dev.signet.delivery;

import dev.signet.core.endpoint.ClientCertificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One HTTP client per distinct client certificate (mutual TLS), made on first use and kept for the
 * next deliveries to that endpoint: a client owns its connection pool and TLS sessions, so a
 * connection authenticated with one customer's certificate never carries a request to another
 * endpoint, and the client without a certificate never reuses one. Bounded: the least recently used
 * client beyond {@link #MAX_CLIENTS} is shut down (its requests in flight finish first) and made
 * again if its certificate comes back.
 */
final class ClientCertificateClients {
    static final int MAX_CLIENTS = 32;

    private final Function<SSLContext, HttpClient> build;
    private final TrustManager[] trust;
    private final int max;
    private final Map<String, HttpClient> clients = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param build makes an HTTP client with the given TLS context and the delivery client's settings
     * @param trust the trust managers checking receivers' certificates; null: the JDK's default trust store
     */
    ClientCertificateClients(Function<SSLContext, HttpClient> build, TrustManager[] trust) {
        this(build, trust, MAX_CLIENTS);
    }

    ClientCertificateClients(Function<SSLContext, HttpClient> build, TrustManager[] trust, int max) {
        this.build = build;
        this.trust = trust;
        this.max = max;
    }

    /** The client presenting {@code certificate}, made once per distinct certificate and key. */
    synchronized HttpClient forCertificate(ClientCertificate certificate) {
        String fingerprint = certificate.fingerprint();
        HttpClient client = clients.get(fingerprint);
        if (client == null) {
            client = build.apply(context(certificate));
            clients.put(fingerprint, client);
            if (clients.size() > max) {
                var eldest = clients.entrySet().iterator().next();
                clients.remove(eldest.getKey());
                eldest.getValue().shutdown();
            }
        }
        return client;
    }

    synchronized int size() {
        return clients.size();
    }

    private SSLContext context(ClientCertificate certificate) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new ClientCertificateKeyManager(certificate)}, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS with a client certificate", e);
        }
    }
}
