package dev.signet.delivery;

import dev.signet.core.endpoint.ClientCertificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * Presents one endpoint's {@code tls_client_certificate} when a receiver asks for a client
 * certificate, whatever issuers it names: the customer chose this certificate for this endpoint, and
 * the receiver decides whether to accept it. Never acts as a server.
 */
final class ClientCertificateKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "endpoint";

    private final X509Certificate[] chain;
    private final PrivateKey key;

    ClientCertificateKeyManager(ClientCertificate certificate) {
        this.chain = certificate.chain().toArray(X509Certificate[]::new);
        this.key = certificate.privateKey();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
