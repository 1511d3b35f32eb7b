package dev.signet.delivery;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.core.aws.PrimingClients;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.credentials.CredentialScope;
import dev.signet.core.credentials.Envelope;
import dev.signet.core.credentials.KeyEncryptionKeys;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.json.Json;
import dev.signet.core.signing.WebhookSecret;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming for the delivery function: before the snapshot, runs the real handler on a
 * queued delivery, with {@link PrimingClients} (canned AWS answers, no connection) as its stores: the
 * job is read, the canned endpoint is loaded and its throwaway credentials opened under throwaway
 * key-encryption keys, the body is built and signed,
 * the URL guard runs, and the attempt is recorded and the message settled on the canned clients.
 *
 * <p>It touches no data and sends nothing: the stores are canned, and the endpoint's address is one
 * the strict URL guard refuses before any connection (the delivery ends abandoned). Nothing unique
 * survives: the secret is all zeros, the clock is the epoch, and ids are drawn inside
 * {@link SnapStartPriming#primeChecked()}'s throwaway random source.
 */
public final class DeliveryPriming extends SnapStartPriming {
    static final String SAMPLE_JOB = "{\"v\":1,\"workspace_id\":\"priming\",\"endpoint_id\":\"ep_priming\",\"event_id\":\"evt_priming\","
            + "\"event\":\"order.completed\",\"created_at\":\"1970-01-01T00:00:00Z\",\"resource\":\"order\",\"resource_id\":\"ord_1\","
            + "\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":[1,2,3],\"paid\":true}}";
    /** 32 zero bytes: a key nobody uses, known to everybody, so nothing secret is in the snapshot. */
    private static final WebhookSecret THROWAWAY = WebhookSecret.parse("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    /** A key-encryption key set everybody knows, for the same reason. */
    private static final String THROWAWAY_KEYS = "{\"current\":\"priming\",\"priming\":\"" + "0".repeat(64) + "\"}";
    private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
    /** Refused by the URL guard in every configuration (link-local, the cloud metadata address). */
    static final String UNREACHABLE = "https://169.254.169.254/priming";

    private final SignetConfig config;

    DeliveryPriming(SignetConfig config) {
        this.config = config;
    }

    static DeliveryPriming register(SignetConfig config) {
        return SnapStartPriming.register(new DeliveryPriming(config));
    }

    @Override
    protected int prime() {
        int calls = 0;
        for (String format : List.of("envelope", "raw")) {
            try (PrimingClients.Primed primed = PrimingClients.create(Map.of(
                    "GetItem", endpointItem(format, sealedCredentials()),
                    "GetSecretValue", Json.write(Json.object().put("Name", "priming").put("SecretString", THROWAWAY_KEYS))))) {
                DeliveryHandler handler = new DeliveryHandler(config, Stores.from(config, primed.clients(), EPOCH), EPOCH);
                SQSBatchResponse response = handler.handleRequest(sampleEvent(), null);
                if (!response.getBatchItemFailures().isEmpty()) {
                    throw new IllegalStateException("the primed delivery was not settled: the canned endpoint must be refused and abandoned");
                }
                calls += primed.calls().get();
            }
        }
        return calls;
    }

    private static SQSEvent sampleEvent() {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("priming");
        m.setReceiptHandle("priming");
        m.setBody(SAMPLE_JOB);
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        return event;
    }

    /** The throwaway credentials, sealed under the throwaway keys for the sample job's endpoint (a workspace without generation). */
    private static String sealedCredentials() {
        return Envelope.seal(KeyEncryptionKeys.parse(THROWAWAY_KEYS), new CredentialScope("priming", "", "ep_priming"),
                EndpointCredentials.of(THROWAWAY, new OutboundAuth.None()).toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** The endpoint item as DynamoDB's GetItem returns it. */
    private static String endpointItem(String format, String sealed) {
        return "{\"Item\":{\"pk\":{\"S\":\"ws#priming\"},\"sk\":{\"S\":\"ep#ep_priming\"},\"id\":{\"S\":\"ep_priming\"},"
                + "\"url\":{\"S\":\"" + UNREACHABLE + "\"},\"description\":{\"S\":\"\"},\"method\":{\"S\":\"POST\"},"
                + "\"payload_format\":{\"S\":\"" + format + "\"},\"event_types\":{\"L\":[]},"
                + "\"headers\":{\"M\":{\"x-priming\":{\"S\":\"1\"}}},\"auth_type\":{\"S\":\"none\"},"
                + "\"timeout_seconds\":{\"N\":\"1\"},\"enabled\":{\"BOOL\":true},\"secret_hint\":{\"S\":\"whsec_...AAAA\"},"
                + "\"credentials\":{\"S\":\"" + sealed + "\"},\"created_at\":{\"S\":\"1970-01-01T00:00:00Z\"},"
                + "\"updated_at\":{\"S\":\"1970-01-01T00:00:00Z\"}}}";
    }
}
