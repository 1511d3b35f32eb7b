package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An endpoint created with {@code signature_scheme: "v1a"} (README, "Signature schemes"; openapi.yaml,
 * endpoints): Signet generates its ed25519 key pair, every read shows the public key, and the requests
 * it delivers verify with that public key alone in Node's own crypto (an implementation sharing no code
 * with Signet). A rotation signs with both key pairs during the grace period, then only with the new one.
 */
class V1aEndpointsSignWithKeyPairsTest {
    private static final Duration CACHE_TTL = Duration.ofSeconds(1);
    private static final int GRACE_SECONDS = 8;
    /** The independent verifier beside the core module's signing tests. */
    private static final Path VERIFIER = Node.repository()
            .resolve("functions/core/src/test/resources/dev/signet/core/signing/verify-v1a.mjs");

    @RegisterExtension
    static final Signet signet = new Signet("1s", Map.of("SIGNET_CACHE_TTL_SECONDS", Long.toString(CACHE_TTL.toSeconds())));

    @Test
    void nodeVerifiesDeliveriesWithThePublicKeyBeforeDuringAndAfterARotation() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("highgarden", "{\"url\":\"" + receiver.url() + "\",\"signature_scheme\":\"v1a\"}");
            String first = t.endpoint().path("public_key").asText();
            assertThat(first).startsWith("whpk_");
            assertThat(t.endpoint().path("signature_scheme").asText()).isEqualTo("v1a");
            assertThat(t.endpoint().has("secret")).as("a v1a endpoint has no secret to show").isFalse();
            assertThat(t.endpoint().path("secret_hint").isNull()).isTrue();
            assertThat(endpoint(t).path("public_key").asText()).as("every read shows the public key").isEqualTo(first);
            assertThat(list(t).path("data").get(0).path("public_key").asText()).isEqualTo(first);

            TestReceiver.Received before = deliverOne(t, receiver, 1);
            assertThat(entries(before)).hasSize(1).allMatch(e -> e.startsWith("v1a,"));
            assertThat(nodeVerifies(before, first)).isTrue();

            ApiClient.Reply rotated = rotate(t, "{\"grace_seconds\":" + GRACE_SECONDS + "}");
            Instant rotatedAfter = Instant.now();
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            String second = rotated.text("public_key");
            assertThat(second).startsWith("whpk_").isNotEqualTo(first);
            assertThat(rotated.json().has("secret")).isFalse();
            assertThat(endpoint(t).path("public_key").asText()).as("reads show the new public key").isEqualTo(second);

            sleepUntil(rotatedAfter.plus(CACHE_TTL).plusMillis(300));
            TestReceiver.Received during = deliverOne(t, receiver, 2);
            assertThat(Instant.ofEpochSecond(Long.parseLong(during.header("webhook-timestamp"))))
                    .isBefore(rotatedAfter.plusSeconds(GRACE_SECONDS - 1));
            assertThat(entries(during)).as(during.header("webhook-signature")).hasSize(2).allMatch(e -> e.startsWith("v1a,"));
            assertThat(nodeVerifies(during, first)).as("a receiver still holding the old public key").isTrue();
            assertThat(nodeVerifies(during, second)).as("a receiver holding the new public key").isTrue();

            sleepUntil(rotatedAfter.plusSeconds(GRACE_SECONDS).plus(CACHE_TTL).plusMillis(300));
            TestReceiver.Received after = deliverOne(t, receiver, 3);
            assertThat(entries(after)).hasSize(1);
            assertThat(nodeVerifies(after, second)).isTrue();
            assertThat(nodeVerifies(after, first)).as("the old key pair's grace is over").isFalse();
        }
    }

    /** README.md's v1a snippet, run as written on a real delivery: it accepts the endpoint's key and refuses another. */
    @Test
    void theReadmeSnippetVerifiesARealDelivery() throws Exception {
        String readme = Files.readString(Node.repository().resolve("README.md"));
        Matcher block = Pattern.compile("```js\\n(import \\{ createPublicKey, verify \\}.*?function verifiesV1a.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("README.md's v1a snippet").isTrue();
        try (TestReceiver receiver = new TestReceiver()) {
            Tenant t = signet.tenant("the-reach", "{\"url\":\"" + receiver.url() + "\",\"signature_scheme\":\"v1a\"}");
            TestReceiver.Received r = deliverOne(t, receiver, 1);
            String stranger = signet.tenant("the-vale", "{\"url\":\"http://127.0.0.1:9/x\",\"signature_scheme\":\"v1a\"}")
                    .endpoint().path("public_key").asText();
            ObjectNode headers = Json.object().put("webhook-id", r.header("webhook-id"))
                    .put("webhook-timestamp", r.header("webhook-timestamp")).put("webhook-signature", r.header("webhook-signature"));
            String driver = block.group(1) + "\nconst headers = " + Json.write(headers) + ";\n"
                    + "const body = Buffer.from(\"" + Base64.getEncoder().encodeToString(r.body()) + "\", \"base64\");\n"
                    + "process.stdout.write(JSON.stringify([verifiesV1a(\"" + t.endpoint().path("public_key").asText() + "\", headers, body), "
                    + "verifiesV1a(\"" + stranger + "\", headers, body)]));\n";
            Path script = Files.createTempFile("readme-v1a", ".mjs");
            try {
                Files.writeString(script, driver);
                Node.Run run = Node.run(script.getParent(), Map.of(), Duration.ofSeconds(60), "node", script.toString());
                assertThat(run.exitCode()).as(run.output()).isZero();
                assertThat(run.output().trim()).isEqualTo("[true,false]");
            } finally {
                Files.deleteIfExists(script);
            }
        }
    }

    @Test
    void theSchemeIsFixedAtCreateAndAV1aEndpointTakesNoSecret() {
        Tenant t = signet.tenant("oldtown", "{\"url\":\"http://127.0.0.1:9/x\",\"signature_scheme\":\"v1a\"}");
        String key = t.endpoint().path("public_key").asText();
        String base = "/v1/workspaces/" + t.workspaceId() + "/endpoints";

        String[][] creates = {
                {"{\"url\":\"http://127.0.0.1:9/x\",\"signature_scheme\":\"v1a\",\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}", "secret"},
                {"{\"url\":\"http://127.0.0.1:9/x\",\"signature_scheme\":\"v2\"}", "signature_scheme"},
                {"{\"url\":\"http://127.0.0.1:9/x\",\"signature_scheme\":1}", "signature_scheme"},
        };
        for (String[] c : creates) {
            ApiClient.Reply r = signet.api().post(base, t.sessionToken(), c[0]);
            assertThat(r.status()).as(c[0] + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).isEqualTo(c[1]);
            assertThat(r.body()).doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        }
        ApiClient.Reply patch = signet.api().send("PATCH", base + "/" + t.endpointId(), t.sessionToken(), Map.of(),
                "{\"signature_scheme\":\"v1\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(patch.status()).as(patch.body()).isEqualTo(400);
        assertThat(patch.json().path("error").path("field").asText()).isEqualTo("signature_scheme");
        ApiClient.Reply withSecret = rotate(t, "{\"secret\":\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"}");
        assertThat(withSecret.status()).as(withSecret.body()).isEqualTo(400);
        assertThat(withSecret.json().path("error").path("field").asText()).isEqualTo("secret");
        assertThat(endpoint(t).path("public_key").asText()).as("nothing written").isEqualTo(key);
        assertThat(endpoint(t).path("signature_scheme").asText()).isEqualTo("v1a");

        ApiClient.Reply v1 = signet.api().post(base, t.sessionToken(), "{\"url\":\"http://127.0.0.1:9/y\"}");
        assertThat(v1.json().path("signature_scheme").asText()).as("v1 is the default").isEqualTo("v1");
        assertThat(v1.json().path("public_key").isNull()).isTrue();
    }

    private static TestReceiver.Received deliverOne(Tenant t, TestReceiver receiver, int n) throws InterruptedException {
        assertThat(t.emit(signet.api(), Tenant.SEED_EVENT).json().path("deliveries").asInt()).isEqualTo(1);
        return receiver.awaitRequests(n, Duration.ofSeconds(20)).get(n - 1);
    }

    private static List<String> entries(TestReceiver.Received r) {
        return List.of(r.header("webhook-signature").split(" "));
    }

    private static ApiClient.Reply rotate(Tenant t, String body) {
        return signet.api().post("/v1/workspaces/" + t.workspaceId() + "/endpoints/" + t.endpointId() + "/secret", t.sessionToken(), body);
    }

    private static JsonNode endpoint(Tenant t) {
        return signet.api().get("/v1/workspaces/" + t.workspaceId() + "/endpoints/" + t.endpointId(), t.sessionToken()).json();
    }

    private static JsonNode list(Tenant t) {
        return signet.api().get("/v1/workspaces/" + t.workspaceId() + "/endpoints", t.sessionToken()).json();
    }

    /** Whether Node's crypto accepts the delivered request's signature header for {@code publicKey}. */
    private static boolean nodeVerifies(TestReceiver.Received r, String publicKey) throws IOException, InterruptedException {
        ObjectNode input = Json.object();
        ArrayNode cases = input.putArray("cases");
        cases.addObject().put("public_key", publicKey).put("id", r.header("webhook-id"))
                .put("timestamp", Long.parseLong(r.header("webhook-timestamp")))
                .put("body_base64", Base64.getEncoder().encodeToString(r.body()))
                .put("signature_header", r.header("webhook-signature"));
        Process node;
        try {
            node = new ProcessBuilder("node", VERIFIER.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("node could not be started (" + e.getMessage() + "): this test needs Node.js 20 or newer on PATH", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Node.drain(node.getInputStream(), out);
        try (OutputStream stdin = node.getOutputStream()) {
            stdin.write(Json.write(input).getBytes(StandardCharsets.UTF_8));
        }
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        reader.join(5_000);
        String printed = Node.text(out);
        assertThat(node.exitValue()).as("node's exit code; it printed: %s", printed).isZero();
        List<Boolean> results = new ArrayList<>();
        for (JsonNode b : Json.parse(printed)) {
            results.add(b.booleanValue());
        }
        assertThat(results).hasSize(1);
        return results.getFirst();
    }

    private static void sleepUntil(Instant when) throws InterruptedException {
        long ms = Duration.between(Instant.now(), when).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
