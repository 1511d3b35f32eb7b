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
import dev.signet.core.store.SecretStore;
import dev.signet.core.store.WorkspaceStore;
import dev.signet.core.workspace.Credentials;
import dev.signet.core.workspace.Session;
import dev.signet.core.workspace.Workspace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.regex.Pattern;

/** Workspaces, their ingest keys and portal sessions (README.md, "Using the API"); the admin key's business. */
final class WorkspaceApi {
    private static final Pattern EXTERNAL_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    static final int MAX_NAME = 200;

    private final WorkspaceStore workspaces;
    private final EndpointStore endpoints;
    private final SecretStore secrets;
    private final Clock clock;
    private final String publicUrl;

    WorkspaceApi(WorkspaceStore workspaces, EndpointStore endpoints, SecretStore secrets, Clock clock, String publicUrl) {
        this.workspaces = workspaces;
        this.endpoints = endpoints;
        this.secrets = secrets;
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
        Workspace workspace = new Workspace(id, name, now);
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

    /** Removes the workspace, its endpoints and their secrets; queued deliveries then end as "endpoint was deleted". */
    ApiResponse delete(Principal p, String workspaceId) {
        Access.admin(p, workspaceId);
        existing(workspaceId);
        for (Endpoint e : endpoints.list(workspaceId)) {
            secrets.delete(e.secretId());
            endpoints.delete(workspaceId, e.id());
        }
        workspaces.delete(workspaceId);
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
        workspaces.createSession(Credentials.hash(token), new Session(workspaceId, expires));
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

    private String baseUrl(ApiRequest request) {
        if (publicUrl != null) {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        String host = request.header("host");
        String proto = request.header("x-forwarded-proto");
        return (proto == null ? "https" : proto) + "://" + (host == null ? "localhost" : host);
    }
}
