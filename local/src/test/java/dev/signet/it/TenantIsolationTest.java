package dev.signet.it;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "Using the API": credentials, issue 6: workspace A's credentials never reach workspace B. Every workspace route, with
 * B's ids in the path — B's workspace, or A's workspace with B's endpoint or event — answers 404 to A's
 * session token, exactly as it does for ids that do not exist (a delivery-log filter naming B's ids
 * finds an empty page); A's ingest key, which may not manage
 * anything, gets the same answer for B as for a workspace that does not exist. Afterwards B is intact.
 */
class TenantIsolationTest {
    @RegisterExtension
    static final Signet signet = new Signet("5s");

    /** Routes with {ws} {ep} {evt}, as in PermissionMatrixTest. */
    static final List<String[]> ROUTES = List.of(
            new String[] {"GET", "/v1/workspaces/{ws}", null},
            new String[] {"POST", "/v1/workspaces/{ws}/ingest-keys", null},
            new String[] {"POST", "/v1/workspaces/{ws}/sessions", "{}"},
            new String[] {"GET", "/v1/workspaces/{ws}/endpoints", null},
            new String[] {"POST", "/v1/workspaces/{ws}/endpoints", "{\"url\":\"http://127.0.0.1:9/x\"}"},
            new String[] {"GET", "/v1/workspaces/{ws}/endpoints/{ep}", null},
            new String[] {"PATCH", "/v1/workspaces/{ws}/endpoints/{ep}", "{\"enabled\":false}"},
            new String[] {"PATCH", "/v1/workspaces/{ws}/endpoints/{ep}", "{\"url\":\"http://127.0.0.1:9/stolen\"}"},
            new String[] {"POST", "/v1/workspaces/{ws}/endpoints/{ep}/secret", "{}"},
            new String[] {"POST", "/v1/workspaces/{ws}/endpoints/{ep}/test", "{}"},
            new String[] {"POST", "/v1/workspaces/{ws}/endpoints/{ep}/recover", "{\"since\":\"" + Instant.now().minusSeconds(3600) + "\"}"},
            new String[] {"GET", "/v1/workspaces/{ws}/attempts", null},
            new String[] {"GET", "/v1/workspaces/{ws}/attempts?endpoint_id={ep}", null},
            new String[] {"GET", "/v1/workspaces/{ws}/attempts?event_id={evt}", null},
            new String[] {"GET", "/v1/workspaces/{ws}/events/{evt}", null},
            new String[] {"POST", "/v1/workspaces/{ws}/events/{evt}/retry", "{}"},
            new String[] {"POST", "/v1/workspaces/{ws}/events/{evt}/retry", "{\"endpoint_id\":\"{ep}\"}"},
            new String[] {"DELETE", "/v1/workspaces/{ws}/endpoints/{ep}", null},
            new String[] {"DELETE", "/v1/workspaces/{ws}/sessions", null},
            new String[] {"DELETE", "/v1/workspaces/{ws}", null});

    static TestReceiver receiver;
    static Tenant a;
    static Tenant b;
    static String eventA;
    static String eventB;

    @BeforeAll
    static void start() throws Exception {
        receiver = new TestReceiver();
        a = signet.tenant("iso-a", Tenant.endpointFor(receiver.url()));
        b = signet.tenant("iso-b", Tenant.endpointFor(receiver.url()));
        eventA = a.emit(signet.api(), Tenant.SEED_EVENT).text("id");
        eventB = b.emit(signet.api(), Tenant.SEED_EVENT).text("id");
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static ApiClient.Reply call(String[] route, String credential, String ws, String ep, String evt) {
        String path = route[1].replace("{ws}", ws).replace("{ep}", ep).replace("{evt}", evt);
        String body = route[2] == null ? null : route[2].replace("{ep}", ep);
        return signet.api().send(route[0], path, credential, Map.of(),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void workspaceACredentialsNeverReachWorkspaceB() {
        List<String> wrong = new ArrayList<>();
        for (String[] route : ROUTES) {
            // A's session on B's workspace and ids; A's session on its own workspace with B's ids.
            expect(wrong, route, "A session, B workspace", call(route, a.sessionToken(), b.workspaceId(), b.endpointId(), eventB), 404);
            if (route[1].contains("attempts?")) {
                // A filter naming another workspace's id finds nothing in this one: an empty page, no 404 needed.
                for (String credential : List.of(a.sessionToken(), signet.adminKey())) {
                    ApiClient.Reply page = call(route, credential, a.workspaceId(), b.endpointId(), eventB);
                    if (page.status() != 200 || !page.json().path("data").isEmpty()) {
                        wrong.add(route[1] + " with B ids: " + page.status() + " " + page.body());
                    }
                }
            } else if (route[1].contains("{ep}") || route[1].contains("{evt}") || (route[2] != null && route[2].contains("{ep}"))) {
                expect(wrong, route, "A session, A workspace with B ids",
                        call(route, a.sessionToken(), a.workspaceId(), b.endpointId(), eventB), 404);
                expect(wrong, route, "admin key, A workspace with B ids",
                        call(route, signet.adminKey(), a.workspaceId(), b.endpointId(), eventB), route[0].equals("PATCH")
                                && route[2].contains("url") || route[1].endsWith("/secret") ? 403 : 404);
            }
            // A's ingest key: the same answer for B as for a workspace that does not exist.
            int forMissing = call(route, a.ingestKey(), "iso-missing", "ep_missing", "evt_missing").status();
            expect(wrong, route, "A ingest key, B workspace", call(route, a.ingestKey(), b.workspaceId(), b.endpointId(), eventB), forMissing);
            if (forMissing != 403 && forMissing != 404) {
                wrong.add(route[0] + " " + route[1] + " with an ingest key: " + forMissing);
            }
        }
        assertThat(wrong).isEmpty();

        ApiClient.Reply bEndpoint = signet.api().get("/v1/workspaces/iso-b/endpoints/" + b.endpointId(), signet.adminKey());
        assertThat(bEndpoint.status()).isEqualTo(200);
        assertThat(bEndpoint.json().path("url").asText()).isEqualTo(receiver.url());
        assertThat(bEndpoint.json().path("enabled").asBoolean()).isTrue();
        assertThat(b.emit(signet.api(), Tenant.SEED_EVENT).status()).as("B's ingest key still works").isEqualTo(202);
        assertThat(signet.api().get("/v1/workspaces/iso-b", b.sessionToken()).status()).as("B's sessions were not revoked").isEqualTo(200);
    }

    @Test
    void onlyTheAdminKeyListsWorkspacesAndTheListingShowsNoCredential() {
        for (String credential : List.of(a.sessionToken(), a.ingestKey())) {
            assertThat(signet.api().get("/v1/workspaces", credential).status()).isEqualTo(403);
        }
        ApiClient.Reply list = signet.api().get("/v1/workspaces?limit=100", signet.adminKey());
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain(a.ingestKey()).doesNotContain("ingest_key").doesNotContain("generation");
    }

    private static void expect(List<String> wrong, String[] route, String who, ApiClient.Reply reply, int expected) {
        if (reply.status() != expected) {
            wrong.add(route[0] + " " + route[1] + " " + route[2] + " as " + who + ": expected " + expected + ", got "
                    + reply.status() + " " + reply.body());
        }
    }
}
