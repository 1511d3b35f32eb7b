package dev.signet.core.endpoint;

import java.time.Instant;

/**
 * What an endpoint's item holds of its credentials: the {@link EndpointCredentials} sealed under the
 * deployment's key-encryption key ({@code dev.signet.core.credentials.CredentialVault}), and what
 * reads may show of them, so a read never opens anything. {@code legacySecretId} is set only on an
 * endpoint saved before credentials moved into the item (version 0.1): its credentials are still in
 * that Secrets Manager secret until the endpoint is migrated (README.md, "Upgrading from 0.1").
 * {@link #toString()} leaves the sealed value out.
 *
 * @param sealed              {@code <key id>.<base64url>}, or null on a legacy endpoint
 * @param legacySecretId      the 0.1 secret's id, or null
 * @param scheme              how its requests are signed
 * @param secretHint          {@code v1}: {@code whsec_…} and the current secret's last 4 characters; else null
 * @param publicKey           {@code v1a}: the current key pair's {@code whpk_…} public key; else null
 * @param certificateSubject  the {@code tls_client_certificate}'s subject, or null without one
 * @param certificateNotAfter when that certificate expires, or null without one
 */
public record StoredCredentials(String sealed, String legacySecretId, Endpoint.SignatureScheme scheme, String secretHint,
                                String publicKey, String certificateSubject, Instant certificateNotAfter) {
    public StoredCredentials {
        if ((sealed == null) == (legacySecretId == null)) {
            throw new IllegalArgumentException("an endpoint's credentials are either sealed in its item or in a legacy secret");
        }
        if (scheme == null) {
            scheme = Endpoint.SignatureScheme.V1;
        }
    }

    /** {@code credentials} as sealed into {@code sealed}, with what reads show of them. */
    public static StoredCredentials sealed(String sealed, EndpointCredentials credentials) {
        ClientCertificate certificate = credentials.clientCertificate();
        return new StoredCredentials(sealed, null, credentials.scheme(),
                credentials.current() == null ? null : credentials.current().hint(),
                credentials.currentKeyPair() == null ? null : credentials.currentKeyPair().publicKey().text(),
                certificate == null ? null : certificate.subject(), certificate == null ? null : certificate.notAfter());
    }

    /** An endpoint from before credentials were sealed into the item (always {@code v1}, without a certificate). */
    public static StoredCredentials legacy(String secretId, String secretHint) {
        return new StoredCredentials(null, secretId, Endpoint.SignatureScheme.V1, secretHint, null, null, null);
    }

    public boolean isLegacy() {
        return legacySecretId != null;
    }

    @Override
    public String toString() {
        return "StoredCredentials[" + (isLegacy() ? "legacy secret " + legacySecretId : "sealed") + ", " + scheme.wire()
                + (secretHint == null ? "" : ", hint " + secretHint) + (publicKey == null ? "" : ", " + publicKey)
                + (certificateSubject == null ? "" : ", certificate " + certificateSubject) + "]";
    }
}
