package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.event.Attempt;
import dev.signet.delivery.DeliveryHandler;
import dev.signet.local.ApiClient;
import dev.signet.testkit.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint's {@code tls_client_certificate} (README, "Mutual TLS"; openapi.yaml, endpoints), end to end:
 * saved through the API (checked, sealed, shown only as subject and expiry), presented on the TLS
 * handshake to that endpoint only. A loopback https receiver that requires a client certificate of its
 * own authority accepts the deliveries of the endpoint that has one and refuses another endpoint of the
 * same workspace, at the same URL, that has none; saving a certificate on that one makes its retry go
 * through. Bad certificates are a 400 naming the field, and never echo the key.
 */
class MutualTlsEndpointsPresentTheirCertificateTest {
    private static final TestPki.Issued CASTERLY = TlsReceiver.AUTHORITY.issue("casterly", TestPki.Usage.CLIENT, TestPki.KeyType.EC);
    private static final TestPki.Issued LANNISPORT = TlsReceiver.AUTHORITY.issue("lannisport", TestPki.Usage.CLIENT, TestPki.KeyType.EC);
    private static final TestPki.Issued RIVERRUN = TlsReceiver.AUTHORITY.issue("riverrun", TestPki.Usage.CLIENT, TestPki.KeyType.RSA);
    private static final TestPki.Issued EXPIRED = TlsReceiver.AUTHORITY.issue("expired", TestPki.Usage.CLIENT, TestPki.KeyType.EC, "-3d", 1);

    /** The delivery function as in local mode, trusting the receivers' authority (the JDK's default trust store would not). */
    @RegisterExtension
    static final Signet signet = new Signet("1s,2s,2s", Map.of("SIGNET_CACHE_TTL_SECONDS", "1"),
            b -> b.deliveryFunction((config, stores) -> new DeliveryHandler(config, stores, Clock.systemUTC(), TlsReceiver.trustManagers())));

    @Test
    void onlyTheEndpointWithACertificateGetsThrough() throws Exception {
        try (TlsReceiver receiver = new TlsReceiver()) {
            Tenant t = signet.tenant("casterly-mtls", "{\"url\":\"" + receiver.url() + "\",\"tls_client_certificate\":"
                    + certificate(CASTERLY.chainPem(), CASTERLY.privateKeyPem()) + "}");
            JsonNode shown = t.endpoint().path("tls_client_certificate");
            assertThat(shown.path("subject").asText()).isEqualTo("CN=casterly,O=Signet tests");
            assertThat(shown.path("not_after").asText()).isNotEmpty();
            assertThat(shown.has("private_key")).isFalse();
            assertThat(t.endpoint().toString()).doesNotContain(body(CASTERLY.privateKeyPem()));
            String without = t.addEndpoint(signet.api(), "{\"url\":\"" + receiver.url() + "\"}");
            assertThat(endpoint(t, without).path("tls_client_certificate").isNull()).isTrue();

            String eventId = emit(t, 2);
            assertThat(receiver.awaitRequests(1, Duration.ofSeconds(30))).containsExactly("CN=casterly,O=Signet tests");
            List<Attempt> attempts = signet.awaitAttempts(t.workspaceId(), eventId, 2);
            Attempt refused = attempts.stream().filter(a -> a.endpointId().equals(without)).findFirst().orElseThrow();
            assertThat(refused.status()).isEqualTo(Attempt.Status.FAILED);
            assertThat(refused.responseStatus()).as("refused in the handshake, before any request").isNull();
            assertThat(refused.error()).as(refused.error()).containsIgnoringCase("TLS");
            assertThat(attempts.stream().filter(a -> a.endpointId().equals(t.endpointId())).findFirst().orElseThrow().status())
                    .isEqualTo(Attempt.Status.SUCCEEDED);

            // The other endpoint saves a certificate of its own: its retry presents it.
            ApiClient.Reply saved = signet.api().patch(path(t, without), t.sessionToken(),
                    "{\"tls_client_certificate\":" + certificate(RIVERRUN.chainPem(), RIVERRUN.privateKeyPem()) + "}");
            assertThat(saved.status()).as(saved.body()).isEqualTo(200);
            assertThat(saved.json().path("tls_client_certificate").path("subject").asText()).isEqualTo("CN=riverrun,O=Signet tests");
            assertThat(receiver.awaitRequests(2, Duration.ofSeconds(30))).containsExactly("CN=casterly,O=Signet tests", "CN=riverrun,O=Signet tests");

            // Removing the first endpoint's certificate: reads show none.
            ApiClient.Reply removed = signet.api().patch(path(t, t.endpointId()), t.sessionToken(), "{\"tls_client_certificate\":null}");
            assertThat(removed.status()).as(removed.body()).isEqualTo(200);
            assertThat(removed.json().path("tls_client_certificate").isNull()).isTrue();
        }
    }

    @Test
    void badCertificatesAreA400NamingTheFieldAndNothingIsWritten() {
        Tenant t = signet.tenant("mtls-input", "{\"url\":\"http://127.0.0.1:9/x\"}");
        String base = "/v1/workspaces/" + t.workspaceId() + "/endpoints";
        String[][] cases = {
                {certificate("-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n", CASTERLY.privateKeyPem()),
                        "tls_client_certificate.certificate", "base64"},
                {certificate("just text", CASTERLY.privateKeyPem()), "tls_client_certificate.certificate", "BEGIN CERTIFICATE"},
                {certificate(CASTERLY.chainPem(), LANNISPORT.privateKeyPem()), "tls_client_certificate.private_key", "does not belong"},
                {certificate(CASTERLY.chainPem(), RIVERRUN.privateKeyPem()), "tls_client_certificate.private_key", "not a valid EC private key"},
                {certificate(CASTERLY.chainPem(), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
                        "tls_client_certificate.private_key", "not a valid"},
                {certificate(EXPIRED.chainPem(), EXPIRED.privateKeyPem()), "tls_client_certificate.certificate", "expired"},
                {"{\"certificate\":\"" + jsonEscape(CASTERLY.chainPem()) + "\"}", "tls_client_certificate.private_key", "required"},
                {"\"PEM\"", "tls_client_certificate", "object"},
        };
        for (String[] c : cases) {
            ApiClient.Reply created = signet.api().post(base, t.sessionToken(), "{\"url\":\"http://127.0.0.1:9/y\",\"tls_client_certificate\":" + c[0] + "}");
            assertThat(created.status()).as(c[0] + " -> " + created.body()).isEqualTo(400);
            assertThat(created.json().path("error").path("field").asText()).as(created.body()).isEqualTo(c[1]);
            assertThat(created.json().path("error").path("message").asText()).as(created.body()).contains(c[2]);
            for (TestPki.Issued issued : List.of(CASTERLY, LANNISPORT, RIVERRUN, EXPIRED)) {
                assertThat(created.body()).doesNotContain(body(issued.privateKeyPem()).substring(0, 40));
            }
            ApiClient.Reply patched = signet.api().patch(path(t, t.endpointId()), t.sessionToken(), "{\"tls_client_certificate\":" + c[0] + "}");
            assertThat(patched.status()).as(c[0] + " -> " + patched.body()).isEqualTo(400);
        }
        JsonNode list = signet.api().get(base, t.sessionToken()).json().path("data");
        assertThat(list).as("nothing created").hasSize(1);
        assertThat(list.get(0).path("tls_client_certificate").isNull()).as("nothing changed").isTrue();
    }

    private static String certificate(String chainPem, String keyPem) {
        return "{\"certificate\":\"" + jsonEscape(chainPem) + "\",\"private_key\":\"" + jsonEscape(keyPem) + "\"}";
    }

    /** The base64 of a PEM block, without its armour: what a leak would show. */
    private static String body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r");
    }

    private static String path(Tenant t, String endpointId) {
        return "/v1/workspaces/" + t.workspaceId() + "/endpoints/" + endpointId;
    }

    private static JsonNode endpoint(Tenant t, String endpointId) {
        return signet.api().get(path(t, endpointId), t.sessionToken()).json();
    }

    private static String emit(Tenant t, int deliveries) {
        ApiClient.Reply r = t.emit(signet.api(), Tenant.SEED_EVENT);
        assertThat(r.json().path("deliveries").asInt()).as(r.body()).isEqualTo(deliveries);
        return r.text("id");
    }
}
