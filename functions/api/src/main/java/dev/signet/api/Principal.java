package dev.signet.api;

/** Who is calling: the three credentials README.md, "Using the API", describes. */
public sealed interface Principal {
    /** The product's backend with the deployment's admin key. */
    record Admin() implements Principal {
    }

    /** The product's backend with one workspace's ingest key (of that workspace's current generation). */
    record IngestKey(String workspaceId, String generation) implements Principal {
    }

    /** A customer in the embedded portal, with a session token for one workspace (checked against its current generation). */
    record SessionToken(String workspaceId, String generation) implements Principal {
    }

    /** The workspace this credential is bound to, or null for the admin key. */
    default String workspaceId() {
        return switch (this) {
            case Admin a -> null;
            case IngestKey k -> k.workspaceId();
            case SessionToken s -> s.workspaceId();
        };
    }
}
