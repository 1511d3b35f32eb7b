package dev.signet.api;

import dev.signet.core.store.WorkspaceStore;
import dev.signet.core.workspace.Credentials;
import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the {@code Authorization: Bearer …} header into a {@link Principal}. Ingest keys and session
 * tokens are found by their hash (so the stored value is never the credential), with strongly
 * consistent reads: a credential works from the moment its 201 was returned and stops from the moment
 * the rotation, revocation or deletion that ended it returned. A session is checked against its
 * workspace too: it must still be the generation the session was minted for (not deleted, not created
 * again) with no revocation since. The admin key is compared by hash in constant time.
 */
public final class Authenticator {
    private final WorkspaceStore workspaces;
    private final Supplier<String> adminKey;
    private final Clock clock;

    /**
     * @param adminKey supplies the deployment's admin key (may cache it); null from it means no
     *                 admin key is configured and admin calls are refused (the ingest function never
     *                 reads it: an admin key there is a credential it does not know, 401)
     */
    public Authenticator(WorkspaceStore workspaces, Supplier<String> adminKey, Clock clock) {
        this.workspaces = workspaces;
        this.adminKey = adminKey;
        this.clock = clock;
    }

    public Principal authenticate(ApiRequest request) {
        String header = request.header("authorization");
        if (header == null || header.isBlank()) {
            throw ApiException.unauthorized("missing Authorization header; send \"Authorization: Bearer <key or token>\"");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw ApiException.unauthorized("Authorization header must be \"Bearer <key or token>\"");
        }
        String credential = header.substring(7).trim();
        String hash = Credentials.hash(credential);
        if (credential.startsWith(Credentials.INGEST_KEY_PREFIX)) {
            return workspaces.ingestKeyOwner(hash)
                    .<Principal>map(o -> new Principal.IngestKey(o.workspaceId(), o.generation()))
                    .orElseThrow(Authenticator::unknown);
        }
        if (credential.startsWith(Credentials.SESSION_TOKEN_PREFIX)) {
            Optional<Session> session = workspaces.session(hash);
            if (session.isEmpty()) {
                throw unknown();
            }
            if (session.get().isExpired(clock.instant())) {
                throw ApiException.unauthorized("session expired; ask the application for a new session");
            }
            Optional<Workspace> workspace = workspaces.get(session.get().workspaceId());
            if (workspace.isEmpty() || !session.get().belongsTo(workspace.get())) {
                throw ApiException.unauthorized("session ended (revoked, or its workspace was deleted); ask the application for a new session");
            }
            return new Principal.SessionToken(session.get().workspaceId(), session.get().generation());
        }
        String admin = adminKey.get();
        if (admin != null && Credentials.same(hash, Credentials.hash(admin))) {
            return new Principal.Admin();
        }
        throw unknown();
    }

    private static ApiException unknown() {
        return ApiException.unauthorized("the key or token in the Authorization header is not valid");
    }
}
