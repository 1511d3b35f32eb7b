package dev.signet.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Certificate authorities and certificates made in the test, with the JDK's own {@code keytool}: for
 * loopback TLS receivers that require a client certificate, and for the checks of the certificates
 * customers upload. Nothing is fixed in the repository, so nothing expires there; each authority lives
 * in a temporary directory.
 */
public final class TestPki {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final AtomicInteger SERIAL = new AtomicInteger();

    /** What a certificate is for: its extended key usage. */
    public enum Usage {
        CLIENT("clientAuth"), SERVER("serverAuth"), EMAIL("emailProtection");

        private final String eku;

        Usage(String eku) {
            this.eku = eku;
        }
    }

    /** The key type: an EC P-256 key, a 2048-bit RSA key, or an Ed25519 key. */
    public enum KeyType {
        EC("-keyalg", "EC", "-groupname", "secp256r1"), RSA("-keyalg", "RSA", "-keysize", "2048"), ED25519("-keyalg", "Ed25519");

        private final List<String> options;

        KeyType(String... options) {
            this.options = List.of(options);
        }
    }

    /** A certificate and its key: the PEM a customer would upload, and the objects a TLS server needs. */
    public record Issued(X509Certificate certificate, List<X509Certificate> chain, PrivateKey privateKey,
                         String chainPem, String certificatePem, String privateKeyPem) {
    }

    /** A certificate authority in a temporary directory. */
    public static final class Authority {
        private final Path keystore;
        private final X509Certificate certificate;
        private final String name;

        private Authority(Path dir, String name) {
            this.name = name;
            this.keystore = dir.resolve("ca.p12");
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                    "-ext", "bc:c", "-ext", "KeyUsage=keyCertSign,cRLSign", "-validity", "2",
                    "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
            try {
                this.certificate = (X509Certificate) load(keystore).getCertificate("ca");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        public X509Certificate certificate() {
            return certificate;
        }

        public String certificatePem() {
            return TestPki.pem(certificate);
        }

        /** A certificate valid from now for a day. */
        public Issued issue(String commonName, Usage usage, KeyType keyType) {
            return issue(commonName, usage, keyType, null, 1);
        }

        /**
         * A certificate for {@code commonName} with the given usage and key type (a server certificate names
         * 127.0.0.1 and localhost), valid for {@code validityDays} from {@code startDate} (keytool's form,
         * e.g. {@code -3d}; null: now).
         */
        public synchronized Issued issue(String commonName, Usage usage, KeyType keyType, String startDate, int validityDays) {
            // One keytool run: the key pair is made in the authority's key store and signed by it (-signer).
            String alias = "leaf" + SERIAL.incrementAndGet();
            List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", alias));
            generate.addAll(keyType.options);
            generate.addAll(List.of("-dname", "CN=" + commonName + ",O=Signet tests", "-signer", "ca", "-signerkeypass", "changeit",
                    "-ext", "EKU=" + usage.eku, "-validity", Integer.toString(validityDays),
                    "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit"));
            if (usage == Usage.SERVER) {
                generate.addAll(List.of("-ext", "SAN=ip:127.0.0.1,dns:localhost"));
            }
            if (startDate != null) {
                generate.addAll(List.of("-startdate", startDate));
            }
            keytool(generate.toArray(String[]::new));
            try {
                KeyStore store = load(keystore);
                PrivateKey key = (PrivateKey) store.getKey(alias, PASSWORD);
                List<X509Certificate> chain = new ArrayList<>();
                for (var c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                X509Certificate leaf = chain.getFirst();
                String keyPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
                StringBuilder chainPem = new StringBuilder();
                chain.forEach(c -> chainPem.append(pem(c)));
                return new Issued(leaf, List.copyOf(chain), key, chainPem.toString(), pem(leaf), keyPem);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "Authority[" + name + "]";
        }
    }

    private TestPki() {
    }

    /** A new certificate authority named {@code name}, in a temporary directory. */
    public static Authority authority(String name) {
        try {
            return new Authority(Files.createTempDirectory("signet-test-pki"), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An in-memory PKCS#12 key store holding {@code issued}'s key and chain (password "changeit"). */
    public static KeyStore keyStore(Issued issued) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", issued.privateKey(), PASSWORD, issued.chain().toArray(X509Certificate[]::new));
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An in-memory key store trusting the given authorities' certificates. */
    public static KeyStore trustStore(Authority... authorities) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < authorities.length; i++) {
                ks.setCertificateEntry("ca" + i, authorities[i].certificate());
            }
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trust managers accepting the certificates the given authorities issued. */
    public static javax.net.ssl.TrustManager[] trustManagers(Authority... authorities) {
        try {
            javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore(authorities));
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The TLS context of a loopback server presenting {@code server}'s certificate and trusting client
     * certificates of {@code clients} (whether it requires one is the server's setting).
     */
    public static javax.net.ssl.SSLContext serverContext(Issued server, Authority clients) {
        try {
            javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(server), PASSWORD);
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(keys.getKeyManagers(), trustManagers(clients), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static char[] password() {
        return PASSWORD.clone();
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.add("-J-XX:TieredStopAtLevel=1"); // a short-lived JVM: start fast rather than run fast
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool from " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
