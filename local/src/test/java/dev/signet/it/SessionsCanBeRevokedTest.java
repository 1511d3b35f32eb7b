package dev.signet.it;

import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: {@code DELETE /v1/workspaces/{ws}/sessions} ends every session of the workspace at once,
 * long before they expire; sessions minted afterwards work, and nothing else changes.
 */
class SessionsCanBeRevokedTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void everySessionStopsAtOnceAndNewOnesWork() {
        ApiClient api = signet.api();
        Tenant t = signet.tenant("revoked", Tenant.endpointFor("http://127.0.0.1:9/hook"));
        String second = api.post("/v1/workspaces/revoked/sessions", signet.adminKey(), "{\"ttl_seconds\":86400}").text("token");
        Tenant other = signet.tenant("not-revoked", null);
        for (String session : new String[] {t.sessionToken(), second}) {
            assertThat(api.get("/v1/workspaces/revoked/endpoints", session).status()).isEqualTo(200);
        }

        assertThat(api.delete("/v1/workspaces/revoked/sessions", signet.adminKey()).status()).isEqualTo(204);

        for (String session : new String[] {t.sessionToken(), second}) {
            ApiClient.Reply refused = api.get("/v1/workspaces/revoked/endpoints", session);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().path("error").path("message").asText()).contains("ask the application for a new session");
            assertThat(api.post("/v1/workspaces/revoked/endpoints/" + t.endpointId() + "/secret", session, "{}").status()).isEqualTo(401);
        }
        String fresh = api.post("/v1/workspaces/revoked/sessions", signet.adminKey(), "{}").text("token");
        assertThat(api.get("/v1/workspaces/revoked/endpoints", fresh).status()).as("a session minted after").isEqualTo(200);
        assertThat(t.emit(api, Tenant.SEED_EVENT).status()).as("the ingest key is not a session").isEqualTo(202);
        assertThat(api.get("/v1/workspaces/not-revoked", other.sessionToken()).status()).as("another workspace's").isEqualTo(200);

        assertThat(api.delete("/v1/workspaces/no-such-workspace/sessions", signet.adminKey()).status()).isEqualTo(404);
        assertThat(api.delete("/v1/workspaces/revoked/sessions", fresh).status()).as("a session cannot revoke").isEqualTo(403);
    }
}
