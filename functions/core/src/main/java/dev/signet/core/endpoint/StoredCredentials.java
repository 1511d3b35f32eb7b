package dev.signet.core.endpoint;

/**
 * What an endpoint's item holds of its credentials: the {@link EndpointCredentials} sealed under the
 * deployment's key-encryption key ({@code dev.signet.core.credentials.CredentialVault}), and what
 * reads may show of them. {@code legacySecretId} is set only on an endpoint saved before credentials
 * moved into the item (version 0.1): its credentials are still in that Secrets Manager secret until
 * the endpoint is migrated (README.md, "Upgrading from 0.1"). {@link #toString()} leaves the sealed
 * value out.
 *
 * @param sealed         {@code <key id>.<base64url>}, or null on a legacy endpoint
 * @param secretHint     {@code whsec_…} and the secret's last 4 characters
 * @param legacySecretId the 0.1 secret's id, or null
 */
public record StoredCredentials(String sealed, String secretHint, String legacySecretId) {
    public StoredCredentials {
        if ((sealed == null) == (legacySecretId == null)) {
            throw new IllegalArgumentException("an endpoint's credentials are either sealed in its item or in a legacy secret");
        }
    }

    public static StoredCredentials sealed(String sealed, String secretHint) {
        return new StoredCredentials(sealed, secretHint, null);
    }

    /** An endpoint from before credentials were sealed into the item. */
    public static StoredCredentials legacy(String secretId, String secretHint) {
        return new StoredCredentials(null, secretHint, secretId);
    }

    public boolean isLegacy() {
        return legacySecretId != null;
    }

    @Override
    public String toString() {
        return "StoredCredentials[" + (isLegacy() ? "legacy secret " + legacySecretId : "sealed") + ", hint " + secretHint + "]";
    }
}
