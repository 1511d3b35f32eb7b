package dev.signet.delivery;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.core.aws.AwsClients;
import dev.signet.core.aws.Stores;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.credentials.CredentialVault;
import dev.signet.core.log.Log;
import dev.signet.core.stats.StatsTally;
import dev.signet.core.store.EndpointStatsStore;
import dev.signet.core.urlguard.UrlGuard;

import javax.net.ssl.TrustManager;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * SQS-triggered delivery (README, "What a delivery looks like"). The messages of a batch are delivered concurrently on virtual
 * threads, so one slow receiver does not hold up the others; messages that must come back later are
 * reported as {@code batchItemFailures} (the event source mapping has ReportBatchItemFailures on).
 */
public final class DeliveryHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    /** The longest the statistics' writes may take (one AWS call, run concurrently for every endpoint-hour). */
    private static final Duration STATS_BUDGET = Duration.ofSeconds(5);
    /** Kept back from the invocation's deadline for returning the batch's answer. */
    private static final Duration STATS_MARGIN = Duration.ofSeconds(1);

    private final DeliveryWorker worker;
    private final EndpointStatsStore stats;
    private final Clock clock;
    /** SnapStart priming hook, held here because org.crac keeps registered resources weakly. */
    @SuppressWarnings({"unused", "FieldCanBeLocal"})
    private DeliveryPriming priming;

    /** Used by Lambda: wires the real AWS clients from the environment. */
    public DeliveryHandler() {
        this(SignetConfig.fromEnvironment(), Clock.systemUTC());
    }

    private DeliveryHandler(SignetConfig config, Clock clock) {
        this(config, Stores.from(config, AwsClients.fromEnvironment(), clock), clock);
        this.priming = DeliveryPriming.register(config);
    }

    public DeliveryHandler(SignetConfig config, Stores stores, Clock clock) {
        this(config, stores, clock, (TrustManager[]) null);
    }

    /**
     * @param receiverTrust checks receivers' TLS certificates; null (always in AWS): the JDK's default trust
     *                      store. Local mode's tests pass the trust managers of their own receivers'
     *                      authority, to deliver to loopback https receivers (mutual TLS)
     */
    public DeliveryHandler(SignetConfig config, Stores stores, Clock clock, TrustManager[] receiverTrust) {
        this(config, stores, clock, UrlGuard.system(config), receiverTrust);
    }

    /** One URL guard for the webhooks and the OAuth2 token requests. */
    private DeliveryHandler(SignetConfig config, Stores stores, Clock clock, UrlGuard guard, TrustManager[] receiverTrust) {
        this(worker(config, stores, clock, guard, new WebhookClient(guard, receiverTrust)), stores.stats(), clock);
    }

    /** @param sender sends the webhooks (priming's sends to its own loopback receiver) */
    DeliveryHandler(SignetConfig config, Stores stores, Clock clock, WebhookSender sender) {
        this(worker(config, stores, clock, UrlGuard.system(config), sender), stores.stats(), clock);
    }

    private static DeliveryWorker worker(SignetConfig config, Stores stores, Clock clock, UrlGuard guard, WebhookSender sender) {
        // One vault per instance: it keeps the key-encryption keys, so a warm instance opens credentials without Secrets Manager.
        var vault = new CredentialVault(stores.secrets(), config.credentialKeySecretId(), clock, config.credentialKeyCacheTtl());
        return new DeliveryWorker(new DeliveryWorker.Ports(stores.config(), vault, stores.events(), stores.queue(),
                sender, clock, new OAuth2Tokens(guard, clock)),
                DeliveryWorker.Settings.from(config));
    }

    /** @param stats where each invocation's endpoint statistics are written after its batch */
    public DeliveryHandler(DeliveryWorker worker, EndpointStatsStore stats, Clock clock) {
        this.worker = worker;
        this.stats = stats;
        this.clock = clock;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        // A delivery waiting for its endpoint's permit (DeliveryWorker) gives up in time to settle before this.
        long deadline = context == null ? DeliveryWorker.NO_DEADLINE
                : System.nanoTime() + context.getRemainingTimeInMillis() * 1_000_000L;
        return handle(event, new DeliveryWorker.Invocation(deadline, clock.instant(), new StatsTally()),
                context == null ? null : context.getAwsRequestId());
    }

    /** One invocation, which must have settled its messages by its deadline. */
    SQSBatchResponse handle(SQSEvent event, DeliveryWorker.Invocation invocation, String requestId) {
        List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
        List<Future<Boolean>> results = new ArrayList<>(records.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SQSEvent.SQSMessage m : records) {
                results.add(threads.submit(() -> Log.inRequest(requestId, () -> worker.process(toMessage(m), invocation))));
            }
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            SQSEvent.SQSMessage m = records.get(i);
            boolean done;
            try {
                done = results.get(i).get();
            } catch (ExecutionException e) {
                // A store was unreachable: the message comes back after its visibility timeout.
                Log.error("delivery failed before it was settled", e.getCause(), f -> f.put("message_id", m.getMessageId()));
                done = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(m.getMessageId()).build());
            }
        }
        flushStats(invocation, requestId);
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /**
     * Writes the batch's endpoint statistics, one write per endpoint and hour, within what the
     * invocation has left (a write past its deadline would time out the whole batch). A failed or
     * skipped write is logged; the deliveries are settled already and never fail for it.
     */
    private void flushStats(DeliveryWorker.Invocation invocation, String requestId) {
        Duration budget = invocation.remaining().minus(STATS_MARGIN);
        try {
            Log.inRequest(requestId, () -> invocation.stats().flushTo(stats,
                    budget.compareTo(STATS_BUDGET) > 0 ? STATS_BUDGET : budget));
        } catch (RuntimeException e) {
            Log.error("endpoint statistics not written", e, f -> f.put("endpoints", invocation.stats().counted().size()));
        }
    }

    private static DeliveryWorker.Message toMessage(SQSEvent.SQSMessage m) {
        String count = m.getAttributes() == null ? null : m.getAttributes().get("ApproximateReceiveCount");
        int receiveCount;
        try {
            receiveCount = count == null ? 1 : Integer.parseInt(count);
        } catch (NumberFormatException e) {
            receiveCount = 1;
        }
        return new DeliveryWorker.Message(m.getMessageId(), m.getReceiptHandle(), m.getBody(), receiveCount);
    }
}
