package dev.signet.management;

import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import static dev.signet.management.ManagementOverMemory.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 403 about one field says which ({@code error.field}), as a 400 does, so a client or the portal
 * can show it next to that field: the admin key setting a secret or a field the workspace owns, a
 * session lifting the operator's stop. Nothing is written.
 */
class ForbiddenChangesNameTheFieldTest {
    private final ManagementOverMemory api = new ManagementOverMemory(MutableClock.at("2026-04-17T18:22:00Z"));
    private final String session = api.workspaceWithSession("casterly");
    private final String ep = api.endpoint("casterly", session);
    private final String path = "/v1/workspaces/casterly/endpoints/" + ep;

    private static void assertForbidden(ManagementOverMemory.Reply r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(403);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(r.json().at("/error/field").asText()).as(r.body()).isEqualTo(field);
    }

    @Test
    void theAdminKeySettingASecretIsRefusedNamingSecret() {
        assertForbidden(api.call("POST", "/v1/workspaces/casterly/endpoints", ADMIN,
                "{\"url\":\"http://127.0.0.1:9/other\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}"), "secret");
        assertForbidden(api.call("POST", path + "/secret", ADMIN, "{\"grace_seconds\":0}"), "secret");
        assertThat(api.stores.config().list("casterly")).hasSize(1);
    }

    @Test
    void theAdminKeyChangingAFieldTheWorkspaceOwnsIsRefusedNamingIt() {
        assertForbidden(api.call("PATCH", path, ADMIN, "{\"description\":\"mine\"}"), "description");
        assertForbidden(api.call("PATCH", path, ADMIN, "{\"enabled\":false,\"url\":\"http://127.0.0.1:9/b\"}"), "url");
        assertThat(api.call("GET", path, session, null).json().path("enabled").asBoolean()).as("nothing written").isTrue();
    }

    @Test
    void aSessionCannotLiftTheOperatorsStop() {
        assertThat(api.call("PATCH", path, ADMIN, "{\"enabled\":false}").status()).isEqualTo(200);

        assertForbidden(api.call("PATCH", path, session, "{\"enabled\":true}"), "enabled");
        assertThat(api.call("GET", path, session, null).json().path("disabled_reason").asText()).isEqualTo("disabled by the operator");
        // Asking for what already holds changes nothing and is allowed; so is the operator lifting it.
        assertThat(api.call("PATCH", path, session, "{\"enabled\":false}").status()).isEqualTo(200);
        assertThat(api.call("PATCH", path, ADMIN, "{\"enabled\":true}").json().path("enabled").asBoolean()).isTrue();
    }

    @Test
    void aSessionMayEnableWhatTheWorkspaceDisabled() {
        assertThat(api.call("PATCH", path, session, "{\"enabled\":false}").json().path("disabled_reason").asText())
                .isEqualTo("disabled by the workspace");
        assertThat(api.call("PATCH", path, session, "{\"enabled\":true}").json().path("enabled").asBoolean()).isTrue();
    }
}
