package dev.signet.bench;

import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.WebhookBody;
import dev.signet.core.signing.Signer;
import dev.signet.core.signing.SigningKeyPair;
import dev.signet.core.signing.WebhookSecret;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a delivery spends on the CPU before it sends: reading the queued job, building the envelope
 * and signing it, for 1 KiB and 64 KiB payloads, against a bare {@code javax.crypto.Mac} doing the
 * same HMAC-SHA256 and base64 (the floor no implementation can go under).
 *
 * <p>Run by {@code scripts/bench jmh}; never part of the test suite.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class SigningBenchmark {
    @Param({"1024", "65536"})
    public int payloadBytes;

    private static final String MSG_ID = "evt_01KBENCH0000000000000000000";
    private static final long TIMESTAMP = 1_776_450_120L;

    private WebhookSecret secret;
    private SigningKeyPair keyPair;
    private byte[] key;
    private DeliveryJob job;
    private String messageBody;
    private byte[] envelope;
    private Mac reusedMac;

    @Setup
    public void setUp() throws GeneralSecurityException {
        secret = WebhookSecret.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        keyPair = SigningKeyPair.generate();
        key = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        job = new DeliveryJob("bench", "", "ep_bench", MSG_ID, "order.completed", Instant.parse("2026-04-17T18:22:00Z"),
                "order", "ord_lannister_77", payload(payloadBytes));
        messageBody = job.toMessageBody();
        envelope = WebhookBody.of(job, Endpoint.PayloadFormat.ENVELOPE);
        reusedMac = Mac.getInstance("HmacSHA256");
        reusedMac.init(new SecretKeySpec(key, "HmacSHA256"));
    }

    /** A JSON object of exactly {@code bytes} bytes: a few typical fields, padded with a string. */
    static String payload(int bytes) {
        String head = "{\"order_id\":\"ord_lannister_77\",\"customer_id\":\"cus_lannister\",\"total_cents\":12900,"
                + "\"currency\":\"usd\",\"items\":[{\"sku\":\"sku_1\",\"qty\":2},{\"sku\":\"sku_2\",\"qty\":1}],\"note\":\"";
        String tail = "\"}";
        return head + "x".repeat(Math.max(0, bytes - head.length() - tail.length())) + tail;
    }

    /** Baseline: a fresh Mac per message (as any straightforward signer does), HMAC and base64. */
    @Benchmark
    public String rawMac() throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((MSG_ID + "." + TIMESTAMP + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(mac.doFinal(envelope));
    }

    /** Floor: one Mac, initialised once and reused; HMAC and base64 only. */
    @Benchmark
    public String rawMacReused() {
        reusedMac.update((MSG_ID + "." + TIMESTAMP + ".").getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(reusedMac.doFinal(envelope));
    }

    /** Signet's signature header for one secret over the delivered bytes. */
    @Benchmark
    public String sign() {
        return Signer.signatureHeader(MSG_ID, TIMESTAMP, envelope, List.of(secret));
    }

    /** The same header for a {@code v1a} endpoint: one ed25519 signature (the JDK's provider) over the delivered bytes. */
    @Benchmark
    public String signV1a() {
        return Signer.asymmetricSignatureHeader(MSG_ID, TIMESTAMP, envelope, List.of(keyPair));
    }

    /** The envelope around the payload (the bytes that are signed and sent). */
    @Benchmark
    public byte[] envelope() {
        return WebhookBody.of(job, Endpoint.PayloadFormat.ENVELOPE);
    }

    /** Everything a delivery does on the CPU before sending: read the job, build the envelope, sign it. */
    @Benchmark
    public String readBuildAndSign() {
        DeliveryJob j = DeliveryJob.fromMessageBody(messageBody);
        byte[] body = WebhookBody.of(j, Endpoint.PayloadFormat.ENVELOPE);
        return Signer.signatureHeader(j.eventId(), TIMESTAMP, body, List.of(secret));
    }
}
