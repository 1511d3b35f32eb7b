package dev.signet.core.endpoint;

import dev.signet.core.event.InvalidInputException;

import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An endpoint's {@code tls_client_certificate} (mutual TLS): a PEM certificate chain, the endpoint's
 * own certificate first, and the PEM private key of that certificate. Checked when saved (it parses,
 * the key belongs to the first certificate, the chain is in order, it is for client authentication,
 * and it is valid now); presented on the TLS handshake to that endpoint only. Error messages name the
 * field and what to fix, and never contain the key. {@link #toString()} is redacted.
 */
public final class ClientCertificate {
    public static final String FIELD = "tls_client_certificate";
    public static final String CERTIFICATE_FIELD = FIELD + ".certificate";
    public static final String PRIVATE_KEY_FIELD = FIELD + ".private_key";
    static final int MAX_CERTIFICATE_CHARS = 32 * 1024;
    static final int MAX_KEY_CHARS = 16 * 1024;
    static final int MAX_CHAIN = 10;
    /** A certificate issued moments ago may start a little after this machine's clock. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] PROBE = "signet client certificate check".getBytes(StandardCharsets.US_ASCII);

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;

    private ClientCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
    }

    /**
     * Checks a pair as an endpoint is saved with it: {@link #read} and valid at {@code now} (not
     * expired, already valid).
     */
    public static ClientCertificate forSaving(String certificatePem, String privateKeyPem, Instant now) {
        ClientCertificate certificate = read(certificatePem, privateKeyPem);
        certificate.requireValidAt(now);
        return certificate;
    }

    /**
     * Reads a pair, checking everything but time (a stored certificate that has since expired still
     * reads, so a delivery can say so): PEM, the key belongs to the first certificate, each certificate
     * was issued by the next, and the first is usable for client authentication.
     */
    public static ClientCertificate read(String certificatePem, String privateKeyPem) {
        List<X509Certificate> chain = certificates(certificatePem);
        X509Certificate leaf = chain.getFirst();
        PrivateKey key = privateKey(privateKeyPem, leaf.getPublicKey());
        if (!belongTogether(key, leaf.getPublicKey())) {
            for (int i = 1; i < chain.size(); i++) {
                if (belongTogether(key, chain.get(i).getPublicKey())) {
                    throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "private_key belongs to certificate " + (i + 1)
                            + " of the chain; put the certificate of private_key first, then its issuers");
                }
            }
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD,
                    "private_key does not belong to the first certificate (" + subjectOf(leaf) + ")");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate issued = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (!issued.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(issued, issuer)) {
                throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "certificate " + (i + 2) + " of the chain ("
                        + subjectOf(issuer) + ") did not issue certificate " + (i + 1) + " (" + subjectOf(issued)
                        + "); list the endpoint's certificate first, then each issuer in order");
            }
        }
        List<String> usages;
        try {
            usages = leaf.getExtendedKeyUsage();
        } catch (CertificateException e) {
            throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "the first certificate's extended key usage cannot be read");
        }
        if (usages != null && !usages.contains(CLIENT_AUTH) && !usages.contains(ANY_EXTENDED_KEY_USAGE)) {
            throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "the first certificate (" + subjectOf(leaf)
                    + ") is not for client authentication: its extended key usage lacks clientAuth");
        }
        return new ClientCertificate(chain, key);
    }

    /** Throws, naming the certificate and the date, unless every certificate of the chain is valid at {@code now}. */
    public void requireValidAt(Instant now) {
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            String which = i == 0 ? "the certificate (" + subjectOf(c) + ")" : "certificate " + (i + 1) + " of the chain (" + subjectOf(c) + ")";
            if (!now.isBefore(c.getNotAfter().toInstant())) {
                throw new InvalidClientCertificateException(CERTIFICATE_FIELD, which + " expired at " + c.getNotAfter().toInstant());
            }
            if (now.plus(CLOCK_SKEW).isBefore(c.getNotBefore().toInstant())) {
                throw new InvalidClientCertificateException(CERTIFICATE_FIELD, which + " is not valid before " + c.getNotBefore().toInstant());
            }
        }
    }

    /** The first certificate's subject (RFC 2253), what reads of the endpoint show. */
    public String subject() {
        return subjectOf(chain.getFirst());
    }

    /** When the first certificate expires, what reads of the endpoint show as {@code not_after}. */
    public Instant notAfter() {
        return chain.getFirst().getNotAfter().toInstant();
    }

    /** The chain, the endpoint's certificate first. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The chain as PEM, for storing; not secret. */
    public String certificatePem() {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : chain) {
            try {
                out.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException("a parsed certificate cannot be encoded", e);
            }
        }
        return out.toString();
    }

    /** The private key as PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), only for storing it encrypted. */
    public String revealPrivateKeyPem() {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    /**
     * SHA-256 of the chain and the key, in hex: tells pairs apart (one HTTP client per pair) without
     * keeping or revealing the key.
     */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (X509Certificate c : chain) {
                sha.update(c.getEncoded());
            }
            sha.update(privateKey.getEncoded());
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientCertificate other && fingerprint().equals(other.fingerprint());
    }

    @Override
    public int hashCode() {
        return chain.getFirst().hashCode();
    }

    @Override
    public String toString() {
        return "ClientCertificate[" + subject() + ", not_after " + notAfter() + ", private key redacted]";
    }

    // ---- reading ----------------------------------------------------------------------------------------

    private static List<X509Certificate> certificates(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "certificate is required: the PEM chain, "
                    + "the endpoint's certificate first (-----BEGIN CERTIFICATE-----)");
        }
        if (pem.length() > MAX_CERTIFICATE_CHARS) {
            throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "certificate must be at most " + MAX_CERTIFICATE_CHARS + " characters");
        }
        List<X509Certificate> chain = new ArrayList<>();
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("X.509 is unavailable", e);
        }
        Matcher m = PEM.matcher(pem.replace("\r\n", "\n"));
        while (m.find()) {
            if (!m.group(1).equals("CERTIFICATE")) {
                throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "certificate may hold only CERTIFICATE blocks, not "
                        + m.group(1) + (m.group(1).contains("PRIVATE KEY") ? "; the key goes in private_key" : ""));
            }
            if (chain.size() == MAX_CHAIN) {
                throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "certificate chain may hold at most " + MAX_CHAIN + " certificates");
            }
            byte[] der = base64(m.group(2), CERTIFICATE_FIELD, "certificate " + (chain.size() + 1));
            try {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (CertificateException | ClassCastException e) {
                throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "certificate " + (chain.size() + 1) + " is not a valid X.509 certificate");
            }
        }
        if (chain.isEmpty()) {
            throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "certificate holds no -----BEGIN CERTIFICATE----- block");
        }
        return chain;
    }

    /**
     * A PKCS#8 key ({@code PRIVATE KEY}) as is; a traditional RSA ({@code RSA PRIVATE KEY}, PKCS#1) or
     * EC ({@code EC PRIVATE KEY}, SEC 1) key wrapped into PKCS#8 under the certificate's own algorithm
     * identifier, which names the algorithm (and an EC key's curve).
     */
    private static PrivateKey privateKey(String pem, PublicKey certified) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key is required: the PEM private key of the certificate");
        }
        if (pem.length() > MAX_KEY_CHARS) {
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key must be at most " + MAX_KEY_CHARS + " characters");
        }
        if (pem.contains("ENCRYPTED")) {
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key is encrypted; give it without a passphrase "
                    + "(openssl pkcs8 -topk8 -nocrypt -in key.pem)");
        }
        Matcher m = PEM.matcher(pem.replace("\r\n", "\n"));
        if (!m.find()) {
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key holds no -----BEGIN PRIVATE KEY----- block");
        }
        String type = m.group(1);
        if (type.equals("CERTIFICATE")) {
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key holds a certificate; the certificate chain goes in certificate");
        }
        byte[] der = base64(m.group(2), PRIVATE_KEY_FIELD, "private_key");
        if (m.find()) {
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key must hold exactly one key");
        }
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> Der.wrapAsPkcs8(Der.algorithmIdentifier(certified.getEncoded()), der);
            default -> throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key must be a PRIVATE KEY, "
                    + "RSA PRIVATE KEY or EC PRIVATE KEY block, not " + type);
        };
        String algorithm = certified.getAlgorithm();
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidClientCertificateException(PRIVATE_KEY_FIELD, "private_key is not a valid " + algorithm
                    + " private key (the certificate's key type)");
        }
    }

    private static byte[] base64(String body, String field, String what) {
        try {
            return Base64.getDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidClientCertificateException(field, what + " is not valid PEM (its base64 does not decode)");
        }
    }

    /** Whether the key signs what the public key verifies: the key belongs to that certificate. */
    private static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!family(key.getAlgorithm()).equals(family(publicKey.getAlgorithm()))) {
            return false;
        }
        try {
            Signature signer = signature(key.getAlgorithm());
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = signature(publicKey.getAlgorithm());
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The JDK names an Ed25519 key "EdDSA" or "Ed25519" depending on how it was made. */
    private static String family(String keyAlgorithm) {
        return keyAlgorithm.startsWith("Ed") ? "EdDSA" : keyAlgorithm;
    }

    private static Signature signature(String keyAlgorithm) throws GeneralSecurityException {
        return switch (keyAlgorithm) {
            case "RSA" -> Signature.getInstance("SHA256withRSA");
            case "EC" -> Signature.getInstance("SHA256withECDSA");
            case "EdDSA", "Ed25519", "Ed448" -> Signature.getInstance("EdDSA");
            case "RSASSA-PSS" -> {
                Signature s = Signature.getInstance("RSASSA-PSS");
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                yield s;
            }
            default -> throw new InvalidClientCertificateException(CERTIFICATE_FIELD, "the certificate's key type " + keyAlgorithm
                    + " is not supported; use RSA, EC or Ed25519");
        };
    }

    private static boolean signedBy(X509Certificate issued, X509Certificate issuer) {
        try {
            issued.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String subjectOf(X509Certificate c) {
        return c.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Just enough DER to wrap a traditional private key into PKCS#8. */
    static final class Der {
        private Der() {
        }

        /** The AlgorithmIdentifier (the first element) of an X.509 SubjectPublicKeyInfo. */
        static byte[] algorithmIdentifier(byte[] subjectPublicKeyInfo) {
            int[] outer = header(subjectPublicKeyInfo, 0);
            int[] first = header(subjectPublicKeyInfo, outer[0]);
            int end = first[0] + first[1];
            return java.util.Arrays.copyOfRange(subjectPublicKeyInfo, outer[0], end);
        }

        /** PrivateKeyInfo ::= SEQUENCE { version 0, algorithm, OCTET STRING key }. */
        static byte[] wrapAsPkcs8(byte[] algorithmIdentifier, byte[] traditionalKey) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(new byte[] {0x02, 0x01, 0x00});
            body.writeBytes(algorithmIdentifier);
            body.write(0x04);
            body.writeBytes(length(traditionalKey.length));
            body.writeBytes(traditionalKey);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x30);
            out.writeBytes(length(body.size()));
            out.writeBytes(body.toByteArray());
            return out.toByteArray();
        }

        /** {offset of the content, its length} of the element starting at {@code at}. */
        private static int[] header(byte[] der, int at) {
            int lengthByte = der[at + 1] & 0xff;
            if (lengthByte < 0x80) {
                return new int[] {at + 2, lengthByte};
            }
            int n = lengthByte & 0x7f;
            int length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (der[at + 2 + i] & 0xff);
            }
            return new int[] {at + 2 + n, length};
        }

        private static byte[] length(int n) {
            if (n < 0x80) {
                return new byte[] {(byte) n};
            }
            if (n < 0x100) {
                return new byte[] {(byte) 0x81, (byte) n};
            }
            if (n < 0x10000) {
                return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
            }
            return new byte[] {(byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        }
    }

    /**
     * A certificate or key that cannot be used: a 400 naming {@link #field()}
     * ({@code tls_client_certificate.certificate} or {@code .private_key}); the message never contains the key.
     */
    public static final class InvalidClientCertificateException extends InvalidInputException {
        public InvalidClientCertificateException(String field, String message) {
            super(field, message);
        }
    }
}
