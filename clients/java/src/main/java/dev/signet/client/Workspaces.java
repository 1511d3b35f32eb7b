package dev.signet.client;

import dev.signet.client.Transport.Call;

import java.time.Duration;

/** Workspaces, their ingest keys and portal sessions, with the admin key. */
public final class Workspaces {
    private final Transport transport;

    Workspaces(Transport transport) {
        this.transport = transport;
    }

    /** A workspace with a generated id ({@code ws_…}). */
    public CreatedWorkspace create(String name) {
        return create(name, null);
    }

    /** A workspace with your own id (1 to 64 of A-Z a-z 0-9 _ -), e.g. your customer's; 409 if it exists. */
    public CreatedWorkspace create(String name, String id) {
        return CreatedWorkspace.from(transport.send(Call.post("/v1/workspaces", Transport.object("name", name, "id", id))).body());
    }

    public Workspace get(String workspaceId) {
        return Workspace.from(transport.send(Call.get(path(workspaceId))).body());
    }

    /** One page of workspaces, oldest first; {@code cursor} null for the first, {@code limit} null for the server's 50. */
    public Page<Workspace> list(Integer limit, String cursor) {
        return Wire.page(transport.send(Call.get("/v1/workspaces" + Transport.query("limit", limit, "cursor", cursor))).body(),
                Workspace::from);
    }

    /** Every workspace, page by page (pages of the server's 50). */
    public Pages<Workspace> all() {
        return all(null);
    }

    /** Every workspace, in pages of {@code pageSize} (1–100; null for the server's 50). */
    public Pages<Workspace> all(Integer pageSize) {
        return new Pages<>(cursor -> list(pageSize, cursor));
    }

    /** Deletes the workspace with its keys, sessions, endpoints and their secrets. */
    public void delete(String workspaceId) {
        transport.send(Call.delete(path(workspaceId)));
    }

    /** A new ingest key; the previous one stops working at once. */
    public String rotateIngestKey(String workspaceId) {
        return Wire.text(transport.send(Call.post(path(workspaceId) + "/ingest-keys", null)).body(), "ingest_key");
    }

    /** A portal session for the workspace, valid for {@code ttl} (1 minute to 24 hours). */
    public Session createSession(String workspaceId, Duration ttl) {
        return Session.from(transport.send(Call.post(path(workspaceId) + "/sessions",
                Transport.object("ttl_seconds", ttl.toSeconds()))).body());
    }

    /** Ends every portal session of the workspace at once. */
    public void revokeSessions(String workspaceId) {
        transport.send(Call.delete(path(workspaceId) + "/sessions"));
    }

    static String path(String workspaceId) {
        return "/v1/workspaces/" + Transport.segment(workspaceId);
    }
}
