package dev.signet.it;

import dev.signet.local.ApiClient;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Workspaces, sessions and endpoint create/list/get through the HTTP API (README, "Using the API": credentials; openapi.yaml, workspaces; openapi.yaml, endpoints). */
class WorkspacesAndEndpointsTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void aWorkspaceIsCreatedOnceAndReadWithoutItsKeys() {
        ApiClient.Reply created = signet.api().post("/v1/workspaces", signet.adminKey(), "{\"name\":\"Winterfell\",\"id\":\"winterfell\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.text("id")).isEqualTo("winterfell");
        assertThat(created.text("ingest_key")).startsWith("sgn_ik_");
        assertThat(Instant.parse(created.text("created_at"))).isNotNull();

        ApiClient.Reply again = signet.api().post("/v1/workspaces", signet.adminKey(), "{\"name\":\"Winterfell\",\"id\":\"winterfell\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").path("code").asText()).isEqualTo("conflict");

        ApiClient.Reply read = signet.api().get("/v1/workspaces/winterfell", signet.adminKey());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().has("ingest_key")).isFalse();
        assertThat(read.text("name")).isEqualTo("Winterfell");

        ApiClient.Reply generated = signet.api().post("/v1/workspaces", signet.adminKey(), "{\"name\":\"No id given\"}");
        assertThat(generated.text("id")).startsWith("ws_");

        assertThat(signet.api().post("/v1/workspaces", signet.adminKey(), "{\"name\":\"x\",\"id\":\"bad id!\"}").json()
                .path("error").path("field").asText()).isEqualTo("id");
        assertThat(signet.api().post("/v1/workspaces", signet.adminKey(), "{}").json().path("error").path("field").asText()).isEqualTo("name");
        assertThat(signet.api().get("/v1/workspaces/nope", signet.adminKey()).status()).isEqualTo(404);
    }

    @Test
    void aSessionCreatesAnEndpointWithAGeneratedSecretShownOnce() {
        Tenant t = signet.tenant("riverrun", null);
        ApiClient.Reply session = signet.api().post("/v1/workspaces/riverrun/sessions", signet.adminKey(), "{\"ttl_seconds\":900}");
        assertThat(session.text("token")).startsWith("sgn_st_");
        assertThat(session.text("portal_url")).startsWith(signet.stack().baseUrl() + "/portal#token=sgn_st_");
        assertThat(Instant.parse(session.text("expires_at"))).isAfter(Instant.now().plusSeconds(800));

        ApiClient.Reply created = signet.api().post("/v1/workspaces/riverrun/endpoints", t.sessionToken(),
                "{\"url\":\"http://127.0.0.1:9/hooks\",\"event_types\":[\"order.completed\"],\"headers\":{\"X-Team\":\"billing\"},"
                        + "\"auth\":{\"type\":\"bearer\",\"token\":\"tok_secret_value\"},\"timeout_seconds\":5}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode ep = created.json();
        String secret = ep.path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(ep.path("id").asText()).startsWith("ep_");
        assertThat(ep.path("secret_hint").asText()).isEqualTo("whsec_\u2026" + secret.substring(secret.length() - 4));
        assertThat(ep.path("auth").path("type").asText()).isEqualTo("bearer");
        assertThat(ep.path("headers").path("x-team").asText()).isEqualTo("billing");
        assertThat(ep.path("method").asText()).isEqualTo("POST");
        assertThat(ep.path("payload_format").asText()).isEqualTo("envelope");
        assertThat(ep.path("enabled").asBoolean()).isTrue();
        assertThat(ep.path("disabled_reason").isNull()).isTrue();

        String id = ep.path("id").asText();
        for (String token : new String[] {t.sessionToken(), signet.adminKey()}) {
            ApiClient.Reply one = signet.api().get("/v1/workspaces/riverrun/endpoints/" + id, token);
            assertThat(one.status()).isEqualTo(200);
            assertThat(one.body()).doesNotContain(secret).doesNotContain("tok_secret_value").doesNotContain("\"secret\"");
            ApiClient.Reply list = signet.api().get("/v1/workspaces/riverrun/endpoints", token);
            assertThat(list.json().path("data")).hasSize(1);
            assertThat(list.body()).doesNotContain(secret).doesNotContain("tok_secret_value");
        }

        ApiClient.Reply supplied = signet.api().post("/v1/workspaces/riverrun/endpoints", t.sessionToken(),
                "{\"url\":\"http://127.0.0.1:9/other\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}");
        assertThat(supplied.status()).isEqualTo(201);
        assertThat(supplied.json().has("secret")).as("a supplied secret is never echoed").isFalse();
        assertThat(supplied.text("secret_hint")).isEqualTo("whsec_\u2026LaSw");
    }

    @Test
    void endpointInputErrorsNameTheField() {
        Tenant t = signet.tenant("the-eyrie", null);
        String path = "/v1/workspaces/the-eyrie/endpoints";
        String[][] cases = {
                {"{}", "url"},
                {"{\"url\":\"ftp://127.0.0.1/x\"}", "url"},
                {"{\"url\":\"http://10.0.0.1/x\"}", "url"},
                {"{\"url\":\"http://user:pw@127.0.0.1/x\"}", "url"},
                {"{\"url\":\"http://127.0.0.1/x\",\"method\":\"GET\"}", "method"},
                {"{\"url\":\"http://127.0.0.1/x\",\"payload_format\":\"xml\"}", "payload_format"},
                {"{\"url\":\"http://127.0.0.1/x\",\"timeout_seconds\":31}", "timeout_seconds"},
                {"{\"url\":\"http://127.0.0.1/x\",\"headers\":{\"Host\":\"evil\"}}", "headers"},
                {"{\"url\":\"http://127.0.0.1/x\",\"headers\":{\"x-a\":\"b\\r\\nc\"}}", "headers"},
                {"{\"url\":\"http://127.0.0.1/x\",\"headers\":{\"webhook-id\":\"x\"}}", "headers"},
                {"{\"url\":\"http://127.0.0.1/x\",\"event_types\":[\"bad type\"]}", "event_types"},
                {"{\"url\":\"http://127.0.0.1/x\",\"auth\":{\"type\":\"basic\",\"username\":\"u\"}}", "auth.password"},
                {"{\"url\":\"http://127.0.0.1/x\",\"auth\":{\"type\":\"magic\"}}", "auth.type"},
                {"{\"url\":\"http://127.0.0.1/x\",\"secret\":\"whsec_dG9vc2hvcnQ=\"}", "secret"},
                {"{\"url\":\"http://127.0.0.1/x\",\"colour\":\"red\"}", "colour"},
        };
        for (String[] c : cases) {
            ApiClient.Reply r = signet.api().post(path, t.sessionToken(), c[0]);
            assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).as(c[0]).isEqualTo(c[1]);
        }
        assertThat(signet.api().get(path, t.sessionToken()).json().path("data")).as("nothing half-written").isEmpty();
    }

    @Test
    void credentialsReachOnlyWhatTheContractAllows() {
        Tenant a = signet.tenant("dorne", null);
        Tenant b = signet.tenant("highgarden", null);
        String create = "{\"url\":\"http://127.0.0.1:9/x\"}";
        // The admin key cannot set secrets, so it cannot create endpoints.
        assertThat(signet.api().post("/v1/workspaces/dorne/endpoints", signet.adminKey(), create).status()).isEqualTo(403);
        // An ingest key only sends events.
        assertThat(signet.api().post("/v1/workspaces/dorne/endpoints", a.ingestKey(), create).status()).isEqualTo(403);
        assertThat(signet.api().get("/v1/workspaces/dorne", a.ingestKey()).status()).isEqualTo(403);
        // Another workspace's credentials do not learn that this one exists.
        assertThat(signet.api().get("/v1/workspaces/dorne", b.sessionToken()).status()).isEqualTo(404);
        assertThat(signet.api().post("/v1/workspaces/dorne/endpoints", b.sessionToken(), create).status()).isEqualTo(404);
        assertThat(signet.api().get("/v1/workspaces/dorne/endpoints", b.ingestKey()).status()).isEqualTo(404);
        // Sessions are minted by the product's backend only.
        assertThat(signet.api().post("/v1/workspaces/dorne/sessions", a.sessionToken(), "{}").status()).isEqualTo(403);
        assertThat(signet.api().post("/v1/workspaces", a.sessionToken(), "{\"name\":\"x\"}").status()).isEqualTo(403);
        // No credential, or a made-up one.
        assertThat(signet.api().get("/v1/workspaces/dorne", null).status()).isEqualTo(401);
        assertThat(signet.api().get("/v1/workspaces/dorne", "sgn_st_made-up").status()).isEqualTo(401);
        assertThat(signet.api().get("/v1/workspaces/dorne", "not-even-a-prefix").status()).isEqualTo(401);
    }

    @Test
    void rotatingTheIngestKeyRetiresTheOldOne() {
        Tenant t = signet.tenant("pyke", null);
        ApiClient.Reply rotated = signet.api().post("/v1/workspaces/pyke/ingest-keys", signet.adminKey(), "");
        assertThat(rotated.status()).isEqualTo(201);
        String fresh = rotated.text("ingest_key");
        assertThat(fresh).startsWith("sgn_ik_").isNotEqualTo(t.ingestKey());
        assertThat(signet.api().post("/v1/events", t.ingestKey(), Tenant.SEED_EVENT).status()).isEqualTo(401);
        assertThat(signet.api().post("/v1/events", fresh, Tenant.SEED_EVENT).status()).isEqualTo(202);
    }
}
