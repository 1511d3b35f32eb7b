package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.api.Principal;

/**
 * The permission rules (README.md, "Using the API": who may do what) in one place. A credential bound to another workspace gets 404
 * (the workspace's existence is not revealed); a credential of the right workspace that may not do
 * the thing gets 403.
 */
final class Access {
    private Access() {
    }

    /** Admin key only (workspace lifecycle, sessions, ingest keys). */
    static void admin(Principal p, String workspaceId) {
        scope(p, workspaceId);
        if (!(p instanceof Principal.Admin)) {
            throw ApiException.forbidden("this needs the admin key");
        }
    }

    /** Admin key or a session of this workspace (reading, logs, enable/disable, delete). */
    static void adminOrSession(Principal p, String workspaceId) {
        scope(p, workspaceId);
        if (p instanceof Principal.IngestKey) {
            throw ApiException.forbidden("an ingest key can only send events");
        }
    }

    /**
     * A session of this workspace only: anything that sets or rotates secrets. The admin key's 403
     * names {@code secret}, the field it may never set.
     */
    static void session(Principal p, String workspaceId) {
        scope(p, workspaceId);
        if (p instanceof Principal.Admin) {
            throw ApiException.forbidden("secret", "the admin key cannot set or read endpoint secrets; use a portal session of the workspace");
        }
        if (p instanceof Principal.IngestKey) {
            throw ApiException.forbidden("an ingest key can only send events");
        }
    }

    /** Admin key or a session of any workspace, for what is the same in every workspace (egress addresses). */
    static void adminOrAnySession(Principal p) {
        if (p instanceof Principal.IngestKey) {
            throw ApiException.forbidden("an ingest key can only send events");
        }
    }

    /** Admin key for a route outside any workspace (creating workspaces). */
    static void adminOnly(Principal p) {
        if (!(p instanceof Principal.Admin)) {
            throw ApiException.forbidden("this needs the admin key");
        }
    }

    private static void scope(Principal p, String workspaceId) {
        String bound = p.workspaceId();
        if (bound != null && !bound.equals(workspaceId)) {
            throw notFound();
        }
    }

    static ApiException notFound() {
        return ApiException.notFound("no such workspace");
    }
}
