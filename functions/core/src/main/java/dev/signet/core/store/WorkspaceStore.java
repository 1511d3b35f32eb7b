package dev.signet.core.store;

import dev.signet.core.workspace.IngestKeyOwner;
import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;

import java.util.List;
import java.util.Optional;

/**
 * Workspaces and the credentials that reach them (stored as hashes only). Every read of a credential
 * or of a workspace is strongly consistent: a key or session works from the moment the write that made
 * it returned, and stops from the moment the write that ended it returned.
 */
public interface WorkspaceStore {
    /** Creates the workspace with its ingest key hash and its entry in the listing; false if the id is taken. */
    boolean create(Workspace workspace, String ingestKeyHash);

    Optional<Workspace> get(String workspaceId);

    /** Workspaces oldest first, after the one whose generation is {@code after} (null: from the first). */
    WorkspacePage list(String after, int limit);

    /** The workspace an ingest key (by hash) sends events for. */
    Optional<IngestKeyOwner> ingestKeyOwner(String ingestKeyHash);

    /** Replaces the ingest key; the old one stops working. False if the workspace does not exist. */
    boolean replaceIngestKey(String workspaceId, String newIngestKeyHash);

    /**
     * Stores a session, only if its workspace still has the session's generation and epoch (false
     * otherwise: deleted, created again, or its sessions revoked since the workspace was read).
     */
    boolean createSession(String tokenHash, Session session);

    Optional<Session> session(String tokenHash);

    /** Ends every session of the workspace minted so far; false if the workspace does not exist. */
    boolean revokeSessions(String workspaceId);

    /**
     * Removes the workspace, its ingest key and its listing entry together, if it is still the
     * generation given and has no endpoint left; false otherwise (an endpoint was created meanwhile,
     * or it is gone). The caller removes the endpoints first.
     */
    boolean deleteWorkspace(String workspaceId, String generation);

    /** A page of {@link #list}: {@code next} is the {@code after} of the next page, null at the end. */
    record WorkspacePage(List<Workspace> workspaces, String next) {
        public WorkspacePage {
            workspaces = List.copyOf(workspaces);
        }
    }
}
