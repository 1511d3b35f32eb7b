package dev.signet.it;

import dev.signet.core.log.Log;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets are write-only (README, "Using the API": credentials): after a scenario that creates, rotates and uses signing secrets
 * and auth credentials, no API response (but the one that generated a secret), no DynamoDB item of
 * either table and no log line contains any of them, in text or decoded form: the endpoint items hold
 * them only sealed (SECURITY.md, "Endpoint credentials").
 */
class SecretsNeverLeakTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s,1s");

    private final List<String> responses = new ArrayList<>();
    private final Map<String, String> secrets = new LinkedHashMap<>(); // what -> value

    private ApiClient.Reply record(ApiClient.Reply reply) {
        responses.add(reply.body());
        return reply;
    }

    @Test
    void noResponseItemOrLogLineContainsASecret() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        PrintStream out = System.out;
        PrintStream err = System.err;
        Log.redirect(capture);
        System.setOut(capture);
        System.setErr(capture);
        try (TestReceiver receiver = new TestReceiver().answering(n -> n % 3 == 0 ? TestReceiver.Reply.status(500) : TestReceiver.Reply.status(200))) {
            scenario(receiver);
        } finally {
            System.setOut(out);
            System.setErr(err);
            Log.redirect(out);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the scenario was logged").contains("delivery attempt");

        List<String> items = new ArrayList<>();
        var dynamo = signet.stack().clients().dynamo();
        for (String table : List.of(signet.stack().config().configTable(), signet.stack().config().eventsTable())) {
            dynamo.scanPaginator(ScanRequest.builder().tableName(table).build()).items().forEach(i -> items.add(i.toString()));
        }
        assertThat(items).as("items were written").hasSizeGreaterThan(10);
        assertThat(items).as("every endpoint item holds its credentials, sealed").filteredOn(i -> i.contains("sk=AttributeValue(S=ep#"))
                .hasSize(3).allMatch(i -> i.contains("credentials=AttributeValue(S=k1.")).noneMatch(i -> i.contains("secret_id"));

        for (var s : secrets.entrySet()) {
            for (String form : forms(s.getValue())) {
                assertThat(logs).as("logs contain " + s.getKey()).doesNotContain(form);
                assertThat(items).as("DynamoDB contains " + s.getKey()).noneMatch(i -> i.contains(form));
                assertThat(responses).as("a response contains " + s.getKey()).noneMatch(r -> r.contains(form));
            }
        }
    }

    private void scenario(TestReceiver receiver) throws Exception {
        ApiClient api = signet.api();
        String admin = signet.adminKey();
        String ingestKey = api.post("/v1/workspaces", admin, "{\"name\":\"Leak\",\"id\":\"leak\"}").text("ingest_key");
        String session = api.post("/v1/workspaces/leak/sessions", admin, "{}").text("token");
        String base = "/v1/workspaces/leak/endpoints";

        // A: generated secret (seen once, in its 201, which is not recorded) and basic auth.
        ApiClient.Reply a = api.post(base, session, "{\"url\":\"" + receiver.url() + "\",\"auth\":{\"type\":\"basic\","
                + "\"username\":\"lannister\",\"password\":\"hear-me-roar-7431\"}}");
        assertThat(a.status()).isEqualTo(201);
        secrets.put("generated secret of A", a.text("secret"));
        secrets.put("basic password", "hear-me-roar-7431");
        secrets.put("basic credentials", Base64.getEncoder().encodeToString("lannister:hear-me-roar-7431".getBytes(StandardCharsets.UTF_8)));
        String epA = a.text("id");

        // B: a supplied secret and a bearer token.
        String supplied = "whsec_" + Base64.getEncoder().encodeToString("a-lannister-always-pays-debt!".getBytes(StandardCharsets.UTF_8));
        secrets.put("supplied secret of B", supplied);
        secrets.put("bearer token", "tok_casterly_rock_9921");
        String epB = record(api.post(base, session, "{\"url\":\"" + receiver.url() + "\",\"secret\":\"" + supplied
                + "\",\"auth\":{\"type\":\"bearer\",\"token\":\"tok_casterly_rock_9921\"}}")).text("id");

        // C: header auth.
        secrets.put("header credential", "hdr-value-golden-lion-55");
        String epC = record(api.post(base, session, "{\"url\":\"" + receiver.url() + "\",\"auth\":{\"type\":\"header\","
                + "\"name\":\"x-api-key\",\"value\":\"hdr-value-golden-lion-55\"}}")).text("id");

        // Rejected input must not echo what it was given.
        String tooShort = "whsec_" + Base64.getEncoder().encodeToString("short-secret".getBytes(StandardCharsets.UTF_8));
        secrets.put("rejected secret", tooShort);
        assertThat(record(api.post(base, session, "{\"url\":\"" + receiver.url() + "\",\"secret\":\"" + tooShort + "\"}")).status()).isEqualTo(400);

        // Rotate A (generated; that response is not recorded) and B (supplied), change B's auth.
        ApiClient.Reply rotated = api.post(base + "/" + epA + "/secret", session, "{\"grace_seconds\":3600}");
        assertThat(rotated.status()).isEqualTo(200);
        secrets.put("rotated secret of A", rotated.text("secret"));
        String suppliedNext = "whsec_" + Base64.getEncoder().encodeToString("the-north-remembers-forever!!".getBytes(StandardCharsets.UTF_8));
        secrets.put("second supplied secret of B", suppliedNext);
        assertThat(record(api.post(base + "/" + epB + "/secret", session, "{\"secret\":\"" + suppliedNext + "\"}")).status()).isEqualTo(200);
        secrets.put("new bearer token", "tok_new_token_8812");
        assertThat(record(api.patch(base + "/" + epB, session, "{\"auth\":{\"type\":\"bearer\",\"token\":\"tok_new_token_8812\"}}")).status())
                .isEqualTo(200);

        // Use them: events, a test event, and every read the portal and the backend make.
        String evt = record(api.post("/v1/events", ingestKey, Tenant.SEED_EVENT)).text("id");
        record(api.post(base + "/" + epC + "/test", session, "{}"));
        receiver.awaitRequests(4, Duration.ofSeconds(30));
        signet.awaitDeliveriesDrained(); // every attempt, retries included, is in the log
        for (String token : List.of(admin, session)) {
            record(api.get(base, token));
            for (String ep : List.of(epA, epB, epC)) {
                record(api.get(base + "/" + ep, token));
            }
            record(api.get("/v1/workspaces/leak/attempts?limit=100", token));
            record(api.get("/v1/workspaces/leak/events/" + evt, token));
            record(api.get("/v1/workspaces/leak", token));
        }
        record(api.post("/v1/workspaces/leak/events/" + evt + "/retry", session, "{}"));
        record(api.post(base + "/" + epA + "/recover", admin, "{\"since\":\"" + Instant.now().minusSeconds(600) + "\"}"));
        // The admin key cannot read or set secrets, and its refusals say nothing about them.
        record(api.post(base + "/" + epA + "/secret", admin, "{}"));
        assertThat(responses).hasSizeGreaterThan(20);
    }

    /** The secret as text and, for whsec_ secrets, the key in its base64 and hex forms. */
    private static List<String> forms(String value) {
        List<String> forms = new ArrayList<>(List.of(value));
        if (value.startsWith("whsec_")) {
            String b64 = value.substring("whsec_".length());
            byte[] key = Base64.getDecoder().decode(b64);
            forms.add(b64);
            forms.add(HexFormat.of().formatHex(key));
            forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(key));
            forms.add(new String(key, StandardCharsets.ISO_8859_1)); // the raw key bytes, as they would appear in text
        }
        return forms;
    }
}
