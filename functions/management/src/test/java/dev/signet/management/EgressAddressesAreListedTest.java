package dev.signet.management;

import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.signet.management.ManagementOverMemory.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /v1/egress (openapi.yaml): the admin key or a session of any workspace reads the deployment's
 * fixed egress addresses, {@code []} when it has none; an ingest key may only send events.
 */
class EgressAddressesAreListedTest {
    private static final MutableClock CLOCK = MutableClock.at("2026-04-17T18:22:00Z");

    @Test
    void theAdminKeyAndAnySessionReadTheConfiguredAddresses() {
        ManagementOverMemory api = new ManagementOverMemory(CLOCK, Map.of("SIGNET_EGRESS_IPS", "203.0.113.7,198.51.100.20"));
        String session = api.workspaceWithSession("casterly");

        for (String credential : new String[] {ADMIN, session}) {
            ManagementOverMemory.Reply reply = api.call("GET", "/v1/egress", credential, null);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            assertThat(reply.headers().get("content-type")).startsWith("application/json");
            assertThat(reply.body()).isEqualTo("{\"ips\":[\"203.0.113.7\",\"198.51.100.20\"]}");
        }
    }

    @Test
    void aDeploymentWithoutFixedAddressesAnswersAnEmptyList() {
        ManagementOverMemory api = new ManagementOverMemory(CLOCK);

        ManagementOverMemory.Reply reply = api.call("GET", "/v1/egress", ADMIN, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEqualTo("{\"ips\":[]}");
    }

    @Test
    void anIngestKeyIsForbiddenAndNoCredentialIsUnauthorized() {
        ManagementOverMemory api = new ManagementOverMemory(CLOCK, Map.of("SIGNET_EGRESS_IPS", "203.0.113.7"));
        ManagementOverMemory.Reply ws = api.call("POST", "/v1/workspaces", ADMIN, "{\"name\":\"Riverrun\",\"id\":\"riverrun\"}");

        ManagementOverMemory.Reply ingest = api.call("GET", "/v1/egress", ws.text("ingest_key"), null);
        ManagementOverMemory.Reply anonymous = api.call("GET", "/v1/egress", null, null);

        assertThat(ingest.status()).as(ingest.body()).isEqualTo(403);
        assertThat(ingest.body()).doesNotContain("203.0.113.7");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(api.call("POST", "/v1/egress", ADMIN, "{}").status()).isEqualTo(405);
    }
}
