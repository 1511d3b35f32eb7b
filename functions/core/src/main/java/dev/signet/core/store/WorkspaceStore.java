package dev.signet.core.store;

import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;

import java.util.Optional;

/** Workspaces and the credentials that reach them (stored as hashes only). */
public interface WorkspaceStore {
    /** Creates the workspace with its ingest key hash; false if the id is taken. */
    boolean create(Workspace workspace, String ingestKeyHash);

    Optional<Workspace> get(String workspaceId);

    /** The workspace an ingest key (by hash) belongs to. */
    Optional<String> workspaceForIngestKey(String ingestKeyHash);

    /** Replaces the ingest key; the old one stops working. False if the workspace does not exist. */
    boolean replaceIngestKey(String workspaceId, String newIngestKeyHash);

    void createSession(String tokenHash, Session session);

    Optional<Session> session(String tokenHash);

    /** Removes the workspace record and its credentials (endpoints are removed by the caller). */
    void delete(String workspaceId);
}
