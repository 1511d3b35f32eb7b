package dev.signet.core.workspace;

/** The workspace, and its generation, that an ingest key sends events for. */
public record IngestKeyOwner(String workspaceId, String generation) {
}
