package dev.signet.core.aws;

import dev.signet.core.event.DeliveryJob;
import dev.signet.core.log.Log;
import dev.signet.core.store.DeliveryQueue;
import software.amazon.awssdk.core.exception.SdkException;
import dev.signet.core.store.NotQueuedException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SqsException;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The deliveries queue on SQS: batched sends (10 messages, 1 MiB per call) with retry of failed entries.
 * Every message carries its workspace as {@code MessageGroupId}: on a standard queue that makes it an
 * SQS fair queue, which hands quiet workspaces' messages out first while one workspace holds a
 * disproportionate share of the messages in flight (ARCHITECTURE.md, "Tenant isolation").
 */
public final class SqsDeliveryQueue implements DeliveryQueue {
    static final int MAX_BATCH_ENTRIES = 10;
    static final int MAX_BATCH_BYTES = 1024 * 1024 - 8 * 1024;
    private static final int SEND_TRIES = 3;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    /** @param deadLetterQueueUrl where exhausted and unreadable deliveries go; null where nothing dead-letters (ingest, management) */
    public SqsDeliveryQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    /**
     * Sends the jobs in batches (10 messages, 1 MiB per call), one after another; stops at the first
     * batch that fails and names what was not queued (that batch's failed entries, or all of it when
     * the call itself failed, and every batch after it), so a caller can send exactly those again.
     */
    @Override
    public void enqueue(List<DeliveryJob> jobs) {
        List<List<SendMessageBatchRequestEntry>> batches = new ArrayList<>();
        List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
        int bytes = 0;
        for (int i = 0; i < jobs.size(); i++) {
            String body = jobs.get(i).toMessageBody();
            int size = body.getBytes(StandardCharsets.UTF_8).length;
            if (!batch.isEmpty() && (batch.size() == MAX_BATCH_ENTRIES || bytes + size > MAX_BATCH_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body)
                    .messageGroupId(jobs.get(i).workspaceId()).build());
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        List<DeliveryJob> notQueued = new ArrayList<>();
        RuntimeException failure = null;
        String refusal = null;
        for (List<SendMessageBatchRequestEntry> entries : batches) {
            List<SendMessageBatchRequestEntry> unsent = entries;
            if (failure == null && refusal == null) {
                try {
                    Refused refused = send(entries);
                    unsent = refused.entries();
                    refusal = refused.entries().isEmpty() ? null : refused.code();
                } catch (RuntimeException e) {
                    failure = e; // no answer: the outcome of this call is unknown
                }
            }
            unsent.forEach(e -> notQueued.add(jobs.get(Integer.parseInt(e.id()))));
        }
        if (!notQueued.isEmpty()) {
            throw new NotQueuedException("SQS did not take " + notQueued.size() + " of " + jobs.size() + " deliveries: "
                    + (refusal != null ? refusal : failure.getClass().getSimpleName()), notQueued, failure);
        }
    }

    /** Entries SQS still refused after {@link #SEND_TRIES} calls, and the error code of the last refusal. */
    private record Refused(List<SendMessageBatchRequestEntry> entries, String code) {
    }

    private Refused send(List<SendMessageBatchRequestEntry> entries) {
        List<SendMessageBatchRequestEntry> pending = entries;
        for (int attempt = 1; ; attempt++) {
            List<SendMessageBatchRequestEntry> toSend = pending;
            SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(toSend));
            if (!response.hasFailed() || response.failed().isEmpty()) {
                return new Refused(List.of(), null);
            }
            List<String> failedIds = response.failed().stream().map(BatchResultErrorEntry::id).toList();
            pending = toSend.stream().filter(e -> failedIds.contains(e.id())).toList();
            if (attempt == SEND_TRIES) {
                return new Refused(pending, response.failed().getFirst().code());
            }
        }
    }

    @Override
    public void postpone(String receiptHandle, Duration delay) {
        long seconds = Math.min(wholeSecondsUp(delay), MAX_VISIBILITY.toSeconds());
        try {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle).visibilityTimeout((int) seconds));
        } catch (SqsException e) {
            // SQS answers InvalidParameterValue when the total since the receive would pass 12 h.
            if (e.awsErrorDetails() != null && "InvalidParameterValue".equals(e.awsErrorDetails().errorCode())) {
                throw new VisibilityRefused("SQS refused a visibility of " + seconds + " s", e);
            }
            throw e;
        }
    }

    @Override
    public void replace(String receiptHandle, DeliveryJob next, Duration delay) {
        long seconds = Math.max(0, Math.min(wholeSecondsUp(delay), MAX_SEND_DELAY.toSeconds()));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(next.toMessageBody()).delaySeconds((int) seconds)
                .messageGroupId(next.workspaceId()));
        delete(receiptHandle);
    }

    /**
     * SQS takes whole seconds. Rounded up, so a message never becomes visible before it is due: rounded
     * down, a retry due in 1.4 s would come back 0.4 s early and be hidden for "0 s", again and again.
     */
    static long wholeSecondsUp(Duration delay) {
        long ms = Math.max(0, delay.toMillis());
        return (ms + 999) / 1000;
    }

    @Override
    public void deadLetter(String receiptHandle, String body) {
        if (deadLetterQueueUrl == null) {
            throw new IllegalStateException("no dead-letter queue is configured (SIGNET_DEAD_LETTER_QUEUE_URL)");
        }
        sqs.sendMessage(r -> r.queueUrl(deadLetterQueueUrl).messageBody(body));
        delete(receiptHandle);
    }

    /**
     * Deletes the received message its successor replaces, at once rather than after the invocation, so
     * a crash cannot leave it to come back beside its successor. Should this fail, it does come back and
     * repeats its step (an attempt under the same id): at least once, never lost.
     */
    private void delete(String receiptHandle) {
        try {
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(receiptHandle));
        } catch (SdkException e) {
            Log.warn("could not delete a replaced delivery message", f -> f.put("error_type", e.getClass().getName()));
        }
    }
}
