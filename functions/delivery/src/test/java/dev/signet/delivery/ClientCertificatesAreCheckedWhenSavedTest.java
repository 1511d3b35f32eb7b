package dev.signet.delivery;

import dev.signet.core.endpoint.ClientCertificate;
import dev.signet.core.endpoint.ClientCertificate.InvalidClientCertificateException;
import dev.signet.testkit.TestPki;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import static dev.signet.delivery.TestCertificates.CASTERLY;
import static dev.signet.delivery.TestCertificates.EXPIRED;
import static dev.signet.delivery.TestCertificates.HIGHGARDEN;
import static dev.signet.delivery.TestCertificates.INTRUDER;
import static dev.signet.delivery.TestCertificates.NOT_YET_VALID;
import static dev.signet.delivery.TestCertificates.OTHER_CA;
import static dev.signet.delivery.TestCertificates.RECEIVERS_CA;
import static dev.signet.delivery.TestCertificates.RIVERRUN;
import static dev.signet.delivery.TestCertificates.SERVER_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * README, endpoints: a {@code tls_client_certificate} is checked when it is saved (the management API
 * answers 400 naming {@code error.field}): the PEM parses, the private key belongs to the first
 * certificate, each certificate was issued by the next, the first is for client authentication, and
 * it is valid now. No message ever contains the key; reads show only its subject and expiry.
 */
class ClientCertificatesAreCheckedWhenSavedTest {
    private static final Instant NOW = Instant.now();

    private static InvalidClientCertificateException refused(String certificate, String key) {
        try {
            ClientCertificate.forSaving(certificate, key, NOW);
        } catch (InvalidClientCertificateException e) {
            assertNoKeyMaterialIn(e.getMessage(), key);
            return e;
        }
        throw new AssertionError("accepted, but should have been refused");
    }

    /** No 16-character piece of the key's base64 appears in {@code message}. */
    private static void assertNoKeyMaterialIn(String message, String keyPem) {
        if (keyPem == null) {
            return;
        }
        String base64 = keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        for (int i = 0; i + 16 <= base64.length(); i += 4) {
            assertThat(message).doesNotContain(base64.substring(i, i + 16));
        }
    }

    @Test
    void aChainAndItsKeyAreAcceptedAndShownAsSubjectAndExpiry() {
        for (TestPki.Issued issued : new TestPki.Issued[] {CASTERLY, RIVERRUN, HIGHGARDEN}) {
            ClientCertificate c = ClientCertificate.forSaving(issued.chainPem(), issued.privateKeyPem(), NOW);

            assertThat(c.subject()).isEqualTo(issued.certificate().getSubjectX500Principal().getName());
            assertThat(c.notAfter()).isEqualTo(issued.certificate().getNotAfter().toInstant());
            assertThat(c.chain()).hasSize(2);
        }
        // The endpoint's certificate alone (the receiver knows the authority) is enough too.
        assertThat(ClientCertificate.forSaving(CASTERLY.certificatePem(), CASTERLY.privateKeyPem(), NOW).chain()).hasSize(1);
    }

    @Test
    void theStoredFormReadsBackAsTheSamePair() {
        ClientCertificate saved = ClientCertificate.forSaving(CASTERLY.chainPem(), CASTERLY.privateKeyPem(), NOW);

        ClientCertificate read = ClientCertificate.read(saved.certificatePem(), saved.revealPrivateKeyPem());

        assertThat(read).isEqualTo(saved);
        assertThat(read.fingerprint()).isEqualTo(saved.fingerprint()).hasSize(64)
                .isNotEqualTo(ClientCertificate.read(RIVERRUN.chainPem(), RIVERRUN.privateKeyPem()).fingerprint());
        assertThat(saved.toString()).contains("CN=casterly").contains("redacted");
        assertNoKeyMaterialIn(saved.toString(), CASTERLY.privateKeyPem());
    }

    @Test
    void traditionalRsaAndEcKeysAreAcceptedAsWellAsPkcs8() {
        String rsa = pem("RSA PRIVATE KEY", innerKey(RIVERRUN.privateKey().getEncoded()));
        String ec = pem("EC PRIVATE KEY", innerKey(CASTERLY.privateKey().getEncoded()));

        assertThat(ClientCertificate.forSaving(RIVERRUN.chainPem(), rsa, NOW).privateKey().getEncoded())
                .isEqualTo(RIVERRUN.privateKey().getEncoded());
        assertThat(ClientCertificate.forSaving(CASTERLY.chainPem(), ec, NOW).privateKey().getEncoded())
                .isEqualTo(CASTERLY.privateKey().getEncoded());
        // Windows line endings and text around the blocks, as openssl and some editors leave them.
        assertThat(ClientCertificate.forSaving("subject=CN=casterly\r\n" + CASTERLY.chainPem().replace("\n", "\r\n"),
                "Bag Attributes\n" + CASTERLY.privateKeyPem(), NOW).subject()).contains("casterly");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingPrivateKey() {
        InvalidClientCertificateException e = refused(CASTERLY.chainPem(), INTRUDER.privateKeyPem());

        assertThat(e.field()).isEqualTo("tls_client_certificate.private_key");
        assertThat(e.getMessage()).isEqualTo("private_key does not belong to the first certificate (CN=casterly,O=Signet tests)");
        assertThat(refused(CASTERLY.chainPem(), RIVERRUN.privateKeyPem()).field()).isEqualTo("tls_client_certificate.private_key");
    }

    @Test
    void aChainOutOfOrderOrFromAnotherIssuerIsRefusedNamingCertificate() {
        String reversed = RECEIVERS_CA.certificatePem() + CASTERLY.certificatePem();
        InvalidClientCertificateException order = refused(reversed, CASTERLY.privateKeyPem());
        assertThat(order.field()).isEqualTo("tls_client_certificate.certificate");
        assertThat(order.getMessage()).contains("belongs to certificate 2").contains("first");

        InvalidClientCertificateException issuer = refused(CASTERLY.certificatePem() + OTHER_CA.certificatePem(), CASTERLY.privateKeyPem());
        assertThat(issuer.field()).isEqualTo("tls_client_certificate.certificate");
        assertThat(issuer.getMessage()).contains("certificate 2 of the chain (CN=Other CA) did not issue certificate 1");
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsRefusedWithItsDate() {
        InvalidClientCertificateException expired = refused(EXPIRED.chainPem(), EXPIRED.privateKeyPem());
        assertThat(expired.field()).isEqualTo("tls_client_certificate.certificate");
        assertThat(expired.getMessage()).isEqualTo("the certificate (CN=expired,O=Signet tests) expired at "
                + EXPIRED.certificate().getNotAfter().toInstant());

        assertThat(refused(NOT_YET_VALID.chainPem(), NOT_YET_VALID.privateKeyPem()).getMessage())
                .startsWith("the certificate (CN=not-yet,O=Signet tests) is not valid before ");
        // Read from storage (no time check), it still reads, so a delivery can say it expired.
        assertThat(ClientCertificate.read(EXPIRED.chainPem(), EXPIRED.privateKeyPem()).notAfter()).isBefore(NOW);
    }

    @Test
    void aCertificateNotForClientAuthenticationIsRefused() {
        assertThat(refused(SERVER_ONLY.chainPem(), SERVER_ONLY.privateKeyPem()).getMessage())
                .isEqualTo("the first certificate (CN=server-only,O=Signet tests) is not for client authentication: "
                        + "its extended key usage lacks clientAuth");
    }

    @Test
    void malformedInputIsRefusedSayingWhatToFix() {
        String key = CASTERLY.privateKeyPem();
        String chain = CASTERLY.chainPem();
        assertThat(refused("", key).getMessage()).startsWith("certificate is required");
        assertThat(refused(chain, null).getMessage()).startsWith("private_key is required");
        assertThat(refused("not a certificate", key).getMessage()).isEqualTo("certificate holds no -----BEGIN CERTIFICATE----- block");
        assertThat(refused(chain + key, key).getMessage()).contains("the key goes in private_key");
        assertThat(refused(chain, chain).getMessage()).contains("the certificate chain goes in certificate");
        assertThat(refused(chain.replaceFirst("\n[A-Za-z0-9+/]{64}\n", "\n%%%%\n"), key).getMessage())
                .isEqualTo("certificate 1 is not valid PEM (its base64 does not decode)");
        assertThat(refused(chain, key.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY")).getMessage())
                .contains("encrypted").contains("-nocrypt");
        assertThat(refused(chain, key + key).getMessage()).isEqualTo("private_key must hold exactly one key");
        String truncated = "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(
                Arrays.copyOf(CASTERLY.privateKey().getEncoded(), 20)) + "\n-----END PRIVATE KEY-----\n";
        InvalidClientCertificateException broken = refused(chain, truncated);
        assertThat(broken.field()).isEqualTo("tls_client_certificate.private_key");
        assertThat(broken.getMessage()).isEqualTo("private_key is not a valid EC private key (the certificate's key type)");
        assertThat(refused(chain.repeat(6), key).getMessage()).contains("at most 10 certificates");
        assertThat(refused("x".repeat(40_000), key).getMessage()).contains("at most 32768 characters");
    }

    /** The key inside a PKCS#8 PrivateKeyInfo: its last element, an OCTET STRING (PKCS#1 for RSA, SEC 1 for EC). */
    private static byte[] innerKey(byte[] pkcs8) {
        int at = skipHeader(pkcs8, 0);      // into the outer SEQUENCE
        at = next(pkcs8, at);               // past the version
        at = next(pkcs8, at);               // past the AlgorithmIdentifier
        return Arrays.copyOfRange(pkcs8, skipHeader(pkcs8, at), next(pkcs8, at));
    }

    private static int skipHeader(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int next(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        int length = first;
        if (first >= 0x80) {
            length = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                length = (length << 8) | (der[at + 2 + i] & 0xff);
            }
        }
        return skipHeader(der, at) + length;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
