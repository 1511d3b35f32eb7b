package dev.signet.delivery;

import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.DynamoConfigStore;
import dev.signet.core.aws.DynamoEventStore;
import dev.signet.core.aws.PrimingClients;
import dev.signet.core.aws.SnapStartPriming;
import dev.signet.core.aws.SecretsManagerSecretStore;
import dev.signet.core.aws.SqsDeliveryQueue;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.event.Attempt;
import dev.signet.core.event.DeliveryJob;
import dev.signet.core.event.WebhookBody;
import dev.signet.core.json.Json;
import dev.signet.core.signing.Signer;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.urlguard.UrlGuard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * SnapStart priming for the delivery function: before the snapshot, reads a delivery job, builds and
 * signs its body with a throwaway key, runs the URL guard, and makes the store calls a delivery makes
 * on {@link PrimingClients} (canned AWS answers, no connection), so the restored function starts warm.
 *
 * <p>It touches no data and sends nothing: the stores are canned, and the one webhook it "sends" goes
 * to an address the strict URL guard refuses before any connection. Nothing unique is created: the
 * job, attempt and key are fixed values and the times are the epoch; no id generator or random
 * source is used (they are first created inside a real delivery).
 */
public final class DeliveryPriming extends SnapStartPriming {
    static final String SAMPLE_JOB = "{\"v\":1,\"workspace_id\":\"priming\",\"endpoint_id\":\"ep_priming\",\"event_id\":\"evt_priming\","
            + "\"event\":\"order.completed\",\"created_at\":\"1970-01-01T00:00:00Z\",\"resource\":\"order\",\"resource_id\":\"ord_1\","
            + "\"payload\":{\"order_id\":\"ord_1\",\"total_cents\":12900,\"currency\":\"usd\",\"items\":[1,2,3],\"paid\":true}}";
    /** 32 zero bytes: a key nobody uses, known to everybody, so nothing secret is in the snapshot. */
    private static final WebhookSecret THROWAWAY = WebhookSecret.parse("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    private static final Clock EPOCH = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

    private final SignetConfig config;

    DeliveryPriming(SignetConfig config) {
        this.config = config;
    }

    static DeliveryPriming register(SignetConfig config) {
        return SnapStartPriming.register(new DeliveryPriming(config));
    }


    @Override
    protected int prime() {
        DeliveryJob job = DeliveryJob.fromMessageBody(SAMPLE_JOB);
        byte[] body = WebhookBody.of(job, Endpoint.PayloadFormat.ENVELOPE);
        WebhookBody.of(job, Endpoint.PayloadFormat.RAW);
        Signer.signatureHeader(job.eventId(), 0L, body, List.of(THROWAWAY, THROWAWAY));
        Json.write(Json.object().put("event_id", job.eventId()).put("attempt", 1)); // the log line's shape, not written
        RetryAfter.parse("120");

        // The strict guard refuses a link-local address before resolving or connecting anything.
        WebhookClient.Result blocked = new WebhookClient(UrlGuard.system(false, List.of()))
                .send("POST", "https://169.254.169.254/priming", Map.of("content-type", "application/json"), body, Duration.ofSeconds(1));
        if (!(blocked instanceof WebhookClient.Failure)) {
            throw new IllegalStateException("priming must never reach a receiver");
        }

        try (PrimingClients.Primed primed = PrimingClients.create()) {
            AwsClients aws = primed.clients();
            new DynamoConfigStore(aws.dynamo(), config.configTable()).get(job.workspaceId(), job.endpointId());
            new SecretsManagerSecretStore(aws.secrets()).readString("priming");
            new DynamoEventStore(aws.dynamo(), config.eventsTable(), config.retention(), EPOCH).putAttempt(new Attempt(
                    "att_priming", job.workspaceId(), job.eventId(), job.endpointId(), 1, Attempt.Status.SUCCEEDED, 200,
                    "ok", null, 1, Instant.EPOCH, null, Attempt.DeliveryStatus.SUCCEEDED));
            new SqsDeliveryQueue(aws.sqs(), config.deliveryQueueUrl()).postpone("priming", Duration.ofSeconds(5));
            return primed.calls().get();
        }
    }
}
