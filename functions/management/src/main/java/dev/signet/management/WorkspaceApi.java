package dev.signet.management;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.ids.Ids;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;
import dev.signet.core.store.EndpointStore;
import dev.signet.core.store.WorkspaceStore;
import dev.signet.core.workspace.Credentials;
import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;

/** Workspaces, their ingest keys and portal sessions (README.md, "Using the API"); the admin key's business. */
final class WorkspaceApi {
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_NAME = 200;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 100;
    /** A workspace's generation (a ULID): the listing's position. */
    private static final Pattern GENERATION = Pattern.compile("[0-9A-HJKMNP-TV-Z]{26}");
    /**
     * Rounds of deleting a workspace's endpoints before giving up: its sessions are revoked first, so only
     * a create that was already past authentication can add one, and the second round finds it.
     */
    private static final int DELETE_ROUNDS = 3;

    private final WorkspaceStore workspaces;
    private final EndpointStore endpoints;
    private final Clock clock;
    private final String publicUrl;

    WorkspaceApi(WorkspaceStore workspaces, EndpointStore endpoints, Clock clock, String publicUrl) {
        this.workspaces = workspaces;
        this.endpoints = endpoints;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    ApiResponse create(Principal p, ApiRequest request) {
        Access.adminOnly(p);
        Body body = Body.of(request, Set.of("name", "id"));
        String name = body.requiredString("name").trim();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiException.invalid("name", "name must be 1 to " + MAX_NAME + " characters");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String id = body.string("id", null);
        if (id != null && !EXTERNAL_ID.matcher(id).matches()) {
            throw ApiException.invalid("id", "id must be 1 to 64 of A-Z a-z 0-9 _ -");
        }
        if (id == null) {
            id = Ids.newId("ws_", clock.instant());
        }
        Workspace workspace = Workspace.create(id, name, now, clock.instant());
        String ingestKey = Credentials.newIngestKey();
        if (!workspaces.create(workspace, Credentials.hash(ingestKey))) {
            throw ApiException.conflict("a workspace with id \"" + id + "\" already exists");
        }
        ObjectNode view = Views.workspace(workspace).put("ingest_key", ingestKey);
        return ApiResponse.json(201, view);
    }

    ApiResponse get(Principal p, String workspaceId) {
        Access.adminOrSession(p, workspaceId);
        return ApiResponse.json(200, Views.workspace(existing(workspaceId)));
    }

    /** {@code GET /v1/workspaces}: oldest first, a page at a time (admin key). */
    ApiResponse list(Principal p, ApiRequest request) {
        Access.adminOnly(p);
        String limitText = request.query().get("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null && !limitText.isEmpty()) {
            if (limitText.length() > 3 || !limitText.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(limitText) < 1 || Integer.parseInt(limitText) > MAX_LIMIT) {
                throw ApiException.invalid("limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
            }
            limit = Integer.parseInt(limitText);
        }
        String after = listCursor(request.query().get("cursor"));
        WorkspaceStore.WorkspacePage page = workspaces.list(after, limit);
        ObjectNode body = Json.object();
        var data = body.putArray("data");
        page.workspaces().forEach(w -> data.add(Views.workspace(w)));
        body.put("next_cursor", page.next() == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(("w1:" + page.next()).getBytes(StandardCharsets.UTF_8)));
        return ApiResponse.json(200, body);
    }

    /** The generation a listing cursor continues after, or null for the first page. */
    private static String listCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = cursor.length() > 64 ? "" : new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("w1:") && GENERATION.matcher(text.substring(3)).matches()) {
                return text.substring(3);
            }
        } catch (IllegalArgumentException e) {
            // not base64url: refused below
        }
        throw ApiException.invalid("cursor", "cursor is not valid; pass the next_cursor of the previous page unchanged");
    }

    /**
     * Removes the workspace with everything in it. Its sessions end first (so no new endpoint appears
     * meanwhile), then its endpoints go (their credentials are sealed in them), then the workspace, its ingest key and its
     * listing entry in one transaction that holds only if no endpoint is left. Its events, attempts
     * and Idempotency-Key records stay until their TTL but are unreachable: their keys carry this
     * generation, which no credential or later workspace of the same id has. Queued deliveries end as
     * "endpoint was deleted".
     */
    ApiResponse delete(Principal p, String workspaceId) {
        Access.admin(p, workspaceId);
        Workspace workspace = existing(workspaceId);
        workspaces.revokeSessions(workspaceId);
        for (int round = 0; round < DELETE_ROUNDS; round++) {
            for (Endpoint e : endpoints.listConsistent(workspaceId)) {
                endpoints.delete(workspaceId, e.id());
            }
            if (workspaces.deleteWorkspace(workspaceId, workspace.generation())) {
                return ApiResponse.noContent();
            }
            if (workspaces.get(workspaceId).filter(w -> w.generation().equals(workspace.generation())).isEmpty()) {
                return ApiResponse.noContent(); // a concurrent DELETE finished it
            }
        }
        throw ApiException.conflict("endpoints were being created while the workspace was deleted; send the DELETE again");
    }

    /** {@code DELETE /v1/workspaces/{ws}/sessions}: every session minted so far stops at once (admin key). */
    ApiResponse revokeSessions(Principal p, String workspaceId) {
        Access.admin(p, workspaceId);
        if (!workspaces.revokeSessions(workspaceId)) {
            throw Access.notFound();
        }
        return ApiResponse.noContent();
    }

    ApiResponse rotateIngestKey(Principal p, String workspaceId) {
        Access.admin(p, workspaceId);
        String key = Credentials.newIngestKey();
        if (!workspaces.replaceIngestKey(workspaceId, Credentials.hash(key))) {
            throw Access.notFound();
        }
        return ApiResponse.json(201, Json.object().put("ingest_key", key));
    }

    ApiResponse createSession(Principal p, String workspaceId, ApiRequest request) {
        Access.admin(p, workspaceId);
        Body body = Body.of(request, Set.of("ttl_seconds"));
        int ttl = body.integer("ttl_seconds", 900, 60, 86_400);
        Workspace workspace = existing(workspaceId);
        String token = Credentials.newSessionToken();
        Instant expires = clock.instant().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofSeconds(ttl));
        if (!workspaces.createSession(Credentials.hash(token), new Session(workspaceId, workspace.generation(), workspace.sessionEpoch(), expires))) {
            // Deleted, or its sessions revoked, since it was read: this session would not have worked.
            throw ApiException.conflict("the workspace changed while the session was minted (deleted, or its sessions revoked); try again");
        }
        ObjectNode view = Json.object()
                .put("token", token)
                .put("expires_at", Timestamps.format(expires))
                // Token and workspace ride in the fragment: browsers never send it to a server or log it.
                .put("portal_url", baseUrl(request) + "/portal#token=" + token + "&workspace=" + workspace.id()
                        + "&expires=" + Timestamps.format(expires));
        return ApiResponse.json(201, view);
    }

    Workspace existing(String workspaceId) {
        return workspaces.get(workspaceId).orElseThrow(Access::notFound);
    }

    /**
     * The generation a request about {@code workspaceId} works in: a session's or ingest key's own
     * (checked against the workspace when it was authenticated), or with the admin key the workspace's
     * current one (404 if it does not exist). Call after the access check.
     */
    String generation(Principal p, String workspaceId) {
        return switch (p) {
            case Principal.SessionToken s -> s.generation();
            case Principal.IngestKey k -> k.generation();
            case Principal.Admin a -> existing(workspaceId).generation();
        };
    }

    private String baseUrl(ApiRequest request) {
        if (publicUrl != null) {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        String host = request.header("host");
        String proto = request.header("x-forwarded-proto");
        return (proto == null ? "https" : proto) + "://" + (host == null ? "localhost" : host);
    }
}
