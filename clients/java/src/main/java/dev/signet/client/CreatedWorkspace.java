package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A new workspace and its ingest key, which Signet shows this once: store it where your backend
 * keeps secrets. {@link #toString()} leaves the key out, so logging this record does not leak it.
 */
public record CreatedWorkspace(Workspace workspace, String ingestKey) {
    static CreatedWorkspace from(JsonNode n) {
        return new CreatedWorkspace(Workspace.from(n), Wire.text(n, "ingest_key"));
    }

    @Override
    public String toString() {
        return "CreatedWorkspace[workspace=" + workspace + ", ingestKey=(hidden)]";
    }
}
