package dev.signet.core.credentials;

import java.nio.charset.StandardCharsets;

/**
 * Where an endpoint's sealed credentials belong: its workspace, the workspace's generation and the
 * endpoint. It is the associated data of the encryption, so a sealed value copied to another endpoint,
 * another workspace, or a workspace created again under the same id does not open there.
 *
 * @param generation the workspace's generation ({@code ""} for a workspace from before generations)
 */
public record CredentialScope(String workspaceId, String generation, String endpointId) {
    private static final String LABEL = "signet endpoint credentials v1";

    public CredentialScope {
        if (workspaceId == null || generation == null || endpointId == null) {
            throw new IllegalArgumentException("a credential scope needs a workspace, its generation and an endpoint");
        }
    }

    /** The associated data: each part on its own line (ids and generations never contain a line break). */
    byte[] associatedData() {
        return (LABEL + "\n" + workspaceId + "\n" + generation + "\n" + endpointId).getBytes(StandardCharsets.UTF_8);
    }
}
