package dev.signet.it;

import dev.signet.core.aws.DynamoConfigStore;
import dev.signet.core.workspace.Credentials;
import dev.signet.core.workspace.Session;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "Using the API": credentials as a table: every route × every kind of credential → the status the contract gives.
 * A cell runs against a fresh workspace whenever the cell before it changed one (a write that succeeded),
 * so destructive routes cannot disturb the others; refused requests and reads share one.
 */
class PermissionMatrixTest {
    @RegisterExtension
    static final Signet signet = new Signet("5s");

    enum Who { ADMIN, INGEST, SESSION, OTHER_SESSION, EXPIRED_SESSION, REVOKED_SESSION, MALFORMED, NONE }

    /** A route: method, path with {ws} {ep} {evt}, body, and the expected status per credential (in Who order). */
    record Route(String method, String path, String body, int... expected) {
    }

    static final List<Route> ROUTES = List.of(
            // The ingest function never reads the admin key: there it is a credential it does not know.
            new Route("POST", "/v1/events", Tenant.SEED_EVENT, 401, 202, 403, 403, 401, 401, 401, 401),
            new Route("POST", "/v1/events/batch", "{\"events\":[" + Tenant.SEED_EVENT + "]}", 401, 202, 403, 403, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces", "{\"name\":\"x\"}", 201, 403, 403, 403, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces", null, 200, 403, 403, 403, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces?limit=2", null, 200, 403, 403, 403, 401, 401, 401, 401),
            // The same for every workspace: any session reads it, another workspace's too.
            new Route("GET", "/v1/egress", null, 200, 403, 200, 200, 401, 401, 401, 401),
            // One catalog per deployment: the admin key writes it, any session reads it. Each cell names its own
            // type after its fresh workspace; the DELETE finds none (404: allowed, nothing to delete).
            new Route("GET", "/v1/event-types", null, 200, 403, 200, 200, 401, 401, 401, 401),
            new Route("PUT", "/v1/event-types/t.{ws}", "{\"description\":\"x\"}", 201, 403, 403, 403, 401, 401, 401, 401),
            new Route("DELETE", "/v1/event-types/t.{ws}", null, 404, 403, 403, 403, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces/{ws}", null, 200, 403, 200, 404, 401, 401, 401, 401),
            new Route("DELETE", "/v1/workspaces/{ws}", null, 204, 403, 403, 404, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces/{ws}/ingest-keys", null, 201, 403, 403, 404, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces/{ws}/sessions", "{}", 201, 403, 403, 404, 401, 401, 401, 401),
            new Route("DELETE", "/v1/workspaces/{ws}/sessions", null, 204, 403, 403, 404, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces/{ws}/endpoints", null, 200, 403, 200, 404, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces/{ws}/endpoints", "{\"url\":\"http://127.0.0.1:9/x\"}", 403, 403, 201, 404, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces/{ws}/endpoints/{ep}", null, 200, 403, 200, 404, 401, 401, 401, 401),
            new Route("PATCH", "/v1/workspaces/{ws}/endpoints/{ep}", "{\"enabled\":true}", 200, 403, 200, 404, 401, 401, 401, 401),
            new Route("PATCH", "/v1/workspaces/{ws}/endpoints/{ep}", "{\"description\":\"x\"}", 403, 403, 200, 404, 401, 401, 401, 401),
            new Route("DELETE", "/v1/workspaces/{ws}/endpoints/{ep}", null, 204, 403, 204, 404, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces/{ws}/endpoints/{ep}/secret", "{}", 403, 403, 200, 404, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces/{ws}/endpoints/{ep}/stats", null, 200, 403, 200, 404, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces/{ws}/endpoints/{ep}/test", "{}", 202, 403, 202, 404, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces/{ws}/endpoints/{ep}/recover", "{\"since\":\"" + Instant.now().minusSeconds(3600) + "\"}",
                    202, 403, 202, 404, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces/{ws}/attempts", null, 200, 403, 200, 404, 401, 401, 401, 401),
            new Route("GET", "/v1/workspaces/{ws}/events/{evt}", null, 200, 403, 200, 404, 401, 401, 401, 401),
            new Route("POST", "/v1/workspaces/{ws}/events/{evt}/retry", "{}", 202, 403, 202, 404, 401, 401, 401, 401));

    static TestReceiver receiver;
    static Tenant other;
    static final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        other = signet.tenant("perm-other", null);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    /** A fresh workspace with an endpoint, an event, an expired session and a revoked one. */
    record World(Tenant tenant, String eventId, String expiredToken, String revokedToken) {
    }

    static World world() {
        Tenant first = signet.tenant("perm-" + counter.incrementAndGet(), Tenant.endpointFor(receiver.url()));
        String eventId = first.emit(signet.api(), Tenant.SEED_EVENT).text("id");
        // The tenant's first session is revoked; the one it goes on with is minted after that.
        String revoked = first.sessionToken();
        assertThat(signet.api().delete("/v1/workspaces/" + first.workspaceId() + "/sessions", signet.adminKey()).status()).isEqualTo(204);
        ApiClient.Reply session = signet.api().post("/v1/workspaces/" + first.workspaceId() + "/sessions", signet.adminKey(), "{}");
        Tenant t = new Tenant(first.workspaceId(), first.ingestKey(), session.text("token"), first.endpointId(), first.secret(), first.endpoint());
        String expired = Credentials.newSessionToken();
        var workspace = signet.stack().stores().config().get(t.workspaceId()).orElseThrow();
        new DynamoConfigStore(signet.stack().clients().dynamo(), signet.stack().config().configTable())
                .createSession(Credentials.hash(expired), new Session(t.workspaceId(), workspace.generation(), workspace.sessionEpoch(),
                        Instant.now().minusSeconds(1)));
        return new World(t, eventId, expired, revoked);
    }

    static String credential(Who who, World w) {
        return switch (who) {
            case ADMIN -> signet.adminKey();
            case INGEST -> w.tenant().ingestKey();
            case SESSION -> w.tenant().sessionToken();
            case OTHER_SESSION -> other.sessionToken();
            case EXPIRED_SESSION -> w.expiredToken();
            case REVOKED_SESSION -> w.revokedToken();
            case MALFORMED -> "sgn_st_" + "!".repeat(10);
            case NONE -> null;
        };
    }

    @Test
    void everyRouteAnswersEveryCredentialAsTheContractSays() {
        List<String> wrong = new ArrayList<>();
        World w = world();
        for (Route r : ROUTES) {
            for (Who who : Who.values()) {
                String path = r.path().replace("{ws}", w.tenant().workspaceId()).replace("{ep}", w.tenant().endpointId())
                        .replace("{evt}", w.eventId());
                byte[] body = r.body() == null ? null : r.body().getBytes(StandardCharsets.UTF_8);
                ApiClient.Reply reply = signet.api().send(r.method(), path, credential(who, w), Map.of(), body);
                int expected = r.expected()[who.ordinal()];
                if (!r.method().equals("GET") && reply.status() < 300) {
                    w = world(); // it may have changed (or deleted) the workspace: the next cell gets a fresh one
                }
                if (reply.status() != expected) {
                    wrong.add(r.method() + " " + r.path() + " " + r.body() + " as " + who + ": expected " + expected
                            + ", got " + reply.status() + " " + reply.body());
                } else if (expected >= 400) {
                    assertThat(reply.json().path("error").path("code").asText()).as(r.method() + " " + r.path() + " as " + who)
                            .isEqualTo(switch (expected) {
                                case 401 -> "unauthorized";
                                case 403 -> "forbidden";
                                default -> "not_found";
                            });
                }
            }
        }
        assertThat(wrong).isEmpty();
    }
}
