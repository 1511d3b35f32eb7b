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
import dev.signet.core.urlguard.UrlGuard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming for the delivery function: before the snapshot, runs the real handler on queued
 * deliveries, {@link SnapStartPriming#runs()} batches of ten, with {@link PrimingClients} (canned AWS
 * answers, no connection) as its stores and a {@link PrimingReceiver} inside the function as the
 * endpoint: the job is read, the canned endpoint is loaded and its throwaway credentials opened under throwaway
 * key-encryption keys, admission runs
 * (first with the endpoint's shared slots, then, once its pace is known to be fast, without), the body
 * is built and signed, the URL guard checks and pins the address, the JDK HTTP client sends and reads
 * the answer, and the attempt is recorded, reported and the message settled: the path every warm
 * delivery takes, often enough for the JIT to compile it with C2.
 *
 * <p>It touches no data and nothing leaves the machine: the stores are canned, and the only receiver is
 * on the loopback address (a guard of priming's own allows it; the function's guard refuses it). Nothing
 * unique survives: the secret is all zeros, ids are drawn inside {@link SnapStartPriming#primeChecked()}'s
 * throwaway random source, and the handler, its HTTP client and the receiver are closed and thrown away.
 */
public final class DeliveryPriming extends SnapStartPriming {
    static final String SAMPLE_JOB = "{\"v\":1,\"workspace_id\":\"priming\",\"endpoint_id\":\"ep_priming\",\"event_id\":\"evt_priming\","
            + "\"event\":\"order.completed\",\"created_at\":\"1970-01-01T00:00:00Z\",\"resource\":\"order\",\"resource_id\":\"ord_1\","
            + "\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":[1,2,3],\"paid\":true}}";
    /** 32 zero bytes: a key nobody uses, known to everybody, so nothing secret is in the snapshot. */
    private static final WebhookSecret THROWAWAY = WebhookSecret.parse("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    /** Messages in each primed batch: the event source's batch size. */
    static final int BATCH = 10;
    /**
     * Single deliveries first: an endpoint is fast once {@link EndpointPace#SAMPLES_TO_KNOW} answers were
     * quick; until then each delivery takes one of its shared slots, and the next shares its pace.
     */
    static final int SINGLES = EndpointPace.SAMPLES_TO_KNOW + 1;
    /** A key-encryption key set everybody knows, for the same reason. */
    private static final String THROWAWAY_KEYS = "{\"current\":\"priming\",\"priming\":\"" + "0".repeat(64) + "\"}";

    private final SignetConfig config;
    private int delivered;

    DeliveryPriming(SignetConfig config) {
        this(config, RUNS);
    }

    /** @param runs how many batches of ten are delivered (tests use a few) */
    DeliveryPriming(SignetConfig config, int runs) {
        super(runs);
        this.config = config;
    }

    static DeliveryPriming register(SignetConfig config) {
        return SnapStartPriming.register(new DeliveryPriming(config));
    }

    /** Requests priming's receiver answered in the last {@link #prime()}. */
    int delivered() {
        return delivered;
    }

    @Override
    protected int prime() {
        List<PrimingClients.Primed> canned = new ArrayList<>();
        // Its own guard: the function's refuses the loopback address, as it must; this one allows only that.
        try (PrimingReceiver receiver = new PrimingReceiver();
             WebhookClient sender = new WebhookClient(new UrlGuard(true, List.of("127.0.0.0/8", "::1/128"), InetAddress::getAllByName))) {
            List<DeliveryHandler> handlers = new ArrayList<>();
            Clock clock = Clock.systemUTC();
            for (String format : List.of("envelope", "raw")) {
                PrimingClients.Primed primed = PrimingClients.create(Map.of(
                        "GetItem", endpointItem(format, receiver.url(), sealedCredentials()),
                        "GetSecretValue", Json.write(Json.object().put("Name", "priming").put("SecretString", THROWAWAY_KEYS))));
                canned.add(primed);
                DeliveryHandler handler = new DeliveryHandler(config, Stores.from(config, primed.clients(), clock), clock, sender);
                handlers.add(handler);
                for (int i = 0; i < SINGLES; i++) {
                    settled(handler.handleRequest(batch(1), null));
                }
            }
            int[] next = {0};
            repeat(() -> settled(handlers.get(next[0]++ % handlers.size()).handleRequest(batch(BATCH), null)));
            delivered = receiver.requests();
            return canned.stream().mapToInt(p -> p.calls().get()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("priming's receiver could not listen on the loopback address", e);
        } finally {
            canned.forEach(PrimingClients.Primed::close);
        }
    }

    /** A primed delivery not settled at once ran another path than a delivery to a healthy receiver: refuse to snapshot that. */
    private static void settled(SQSBatchResponse response) {
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("a primed delivery was not settled: the receiver inside the function must answer 204");
        }
    }

    private static SQSEvent batch(int size) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("priming-" + i);
            m.setReceiptHandle("priming-" + i);
            m.setBody(SAMPLE_JOB);
            m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            records.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    /** The throwaway credentials, sealed under the throwaway keys for the sample job's endpoint (a workspace without generation). */
    private static String sealedCredentials() {
        return Envelope.seal(KeyEncryptionKeys.parse(THROWAWAY_KEYS), new CredentialScope("priming", "", "ep_priming"),
                EndpointCredentials.of(THROWAWAY, new OutboundAuth.None()).toJson().getBytes(StandardCharsets.UTF_8));
    }

    /** The endpoint item as DynamoDB's GetItem returns it. */
    private static String endpointItem(String format, String url, String sealed) {
        return "{\"Item\":{\"pk\":{\"S\":\"ws#priming\"},\"sk\":{\"S\":\"ep#ep_priming\"},\"id\":{\"S\":\"ep_priming\"},"
                + "\"url\":{\"S\":\"" + url + "\"},\"description\":{\"S\":\"\"},\"method\":{\"S\":\"POST\"},"
                + "\"payload_format\":{\"S\":\"" + format + "\"},\"event_types\":{\"L\":[]},"
                + "\"headers\":{\"M\":{\"x-priming\":{\"S\":\"1\"}}},\"auth_type\":{\"S\":\"none\"},"
                + "\"timeout_seconds\":{\"N\":\"5\"},\"enabled\":{\"BOOL\":true},\"secret_hint\":{\"S\":\"whsec_...AAAA\"},"
                + "\"credentials\":{\"S\":\"" + sealed + "\"},\"created_at\":{\"S\":\"1970-01-01T00:00:00Z\"},"
                + "\"updated_at\":{\"S\":\"1970-01-01T00:00:00Z\"}}}";
    }
}
