package dev.signet.core.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README, "What a delivery looks like": a {@code v1a} endpoint's requests verify with its
 * {@code whpk_} public key alone, in an implementation that shares no code with Signet: Node's own
 * crypto (verify-v1a.mjs beside this class), including during a rotation, when the header carries one
 * entry per key pair and a receiver holding either public key accepts it. A missing node fails the
 * test rather than skipping it.
 */
class V1aSignaturesVerifyWithNodeCryptoTest {
    private static final String ID = "evt_01JQ7ZB6Z3D4X9KQ2M5N8P0RST";
    private static final long TIMESTAMP = 1_776_450_120L;

    private record Case(WebhookPublicKey key, String id, long timestamp, byte[] body, String header) {
    }

    @Test
    void nodeVerifiesEveryKeyOfARotationAndRefusesWhatWasNotSigned() throws Exception {
        SigningKeyPair previous = SigningKeyPair.generate();
        SigningKeyPair current = SigningKeyPair.generate();
        SigningKeyPair stranger = SigningKeyPair.generate();
        byte[] body = "{\"id\":\"evt_1\",\"type\":\"order.completed\",\"data\":{\"city\":\"Kraków\",\"emoji\":\"😀\",\"total_cents\":12900}}"
                .getBytes(StandardCharsets.UTF_8);
        String rotation = Signer.asymmetricSignatureHeader(ID, TIMESTAMP, body, List.of(current, previous));
        String onlyCurrent = Signer.asymmetricSignatureHeader(ID, TIMESTAMP, body, List.of(current));
        byte[] tampered = body.clone();
        tampered[tampered.length - 2] = '1';

        List<Case> cases = List.of(
                new Case(current.publicKey(), ID, TIMESTAMP, body, rotation),       // 0: the new key
                new Case(previous.publicKey(), ID, TIMESTAMP, body, rotation),      // 1: the old key, still in grace
                new Case(stranger.publicKey(), ID, TIMESTAMP, body, rotation),      // 2: a key that never signed
                new Case(previous.publicKey(), ID, TIMESTAMP, body, onlyCurrent),   // 3: the old key after its grace
                new Case(current.publicKey(), ID, TIMESTAMP, tampered, rotation),   // 4: a changed body
                new Case(current.publicKey(), ID, TIMESTAMP + 1, body, rotation),   // 5: a changed timestamp
                new Case(current.publicKey(), "evt_other", TIMESTAMP, body, rotation), // 6: a changed id
                new Case(current.publicKey(), ID, TIMESTAMP, body,                  // 7: v1 entries are not v1a
                        rotation.replace("v1a,", "v1,")));

        assertThat(nodeVerifies(cases)).containsExactly(true, true, false, false, false, false, false, false);
        // The same answers from Signet's own verifier, so the two implementations agree case by case.
        assertThat(cases.stream().map(V1aSignaturesVerifyWithNodeCryptoTest::signetVerifies).toList())
                .containsExactly(true, true, false, false, false, false, false, false);
    }

    @Test
    void nodeVerifiesRandomKeysAndBodies() throws Exception {
        java.util.Random random = new java.util.Random();
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SigningKeyPair key = SigningKeyPair.generate();
            byte[] body = new byte[random.nextInt(2000)];
            random.nextBytes(body); // any bytes: the signature covers them exactly, whatever they are
            String id = "evt_" + Integer.toString(random.nextInt(Integer.MAX_VALUE), 36);
            cases.add(new Case(key.publicKey(), id, TIMESTAMP + i, body, Signer.asymmetricSignatureHeader(id, TIMESTAMP + i, body, List.of(key))));
        }

        assertThat(nodeVerifies(cases)).hasSize(20).containsOnly(true);
    }

    private static boolean signetVerifies(Case c) {
        java.time.Clock at = java.time.Clock.fixed(java.time.Instant.ofEpochSecond(TIMESTAMP), java.time.ZoneOffset.UTC);
        try {
            new Verifier(c.key(), at, Verifier.DEFAULT_TOLERANCE).verify(c.id(), Long.toString(c.timestamp()), c.header(), c.body());
            return true;
        } catch (Verifier.VerificationException e) {
            return false;
        }
    }

    private static List<Boolean> nodeVerifies(List<Case> cases) throws Exception {
        ObjectNode input = Json.object();
        ArrayNode list = input.putArray("cases");
        for (Case c : cases) {
            list.addObject().put("public_key", c.key().text()).put("id", c.id()).put("timestamp", c.timestamp())
                    .put("body_base64", Base64.getEncoder().encodeToString(c.body())).put("signature_header", c.header());
        }
        Path script = Files.createTempFile("verify-v1a", ".mjs");
        try (InputStream in = V1aSignaturesVerifyWithNodeCryptoTest.class.getResourceAsStream("verify-v1a.mjs")) {
            assertThat(in).as("verify-v1a.mjs beside this test").isNotNull();
            Files.write(script, in.readAllBytes());
            Process node;
            try {
                node = new ProcessBuilder("node", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                throw new AssertionError("node could not be started (" + e.getMessage() + "): install Node.js 20 or newer "
                        + "(Debian: apt-get install nodejs); this test needs an independent ed25519 implementation", e);
            }
            try (OutputStream stdin = node.getOutputStream()) {
                stdin.write(Json.write(input).getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
            assertThat(node.exitValue()).as("node's exit code; it printed: %s", out).isZero();
            List<Boolean> results = new ArrayList<>();
            for (JsonNode r : Json.parse(out)) {
                results.add(r.booleanValue());
            }
            return results;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
