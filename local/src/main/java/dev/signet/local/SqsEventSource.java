package dev.signet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Stands in for Lambda's SQS event source mapping with {@code ReportBatchItemFailures}: pollers
 * long-poll the queue, hand each batch to the function as an {@link SQSEvent}, and delete the messages
 * the function did not report in {@code batchItemFailures}. When the function throws (or reports a
 * failure that names no message of the batch) nothing is deleted, and the messages come back after
 * their visibility timeout, exactly as in Lambda. A local error never deletes a message.
 */
public final class SqsEventSource implements AutoCloseable {
    public static final int DEFAULT_POLLERS = 2;
    static final int MAX_BATCH = 10;
    static final int WAIT_SECONDS = 1;

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final RequestHandler<SQSEvent, SQSBatchResponse> function;
    private final String functionName;
    private final Duration functionTimeout;
    private final int pollers;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    /**
     * @param function any SQS-triggered function (the delivery function, or a test's fake)
     * @param functionTimeout the remaining time each invocation is given (at most the visibility timeout)
     * @param pollers concurrent pollers, each invoking the function with its own batches
     */
    public SqsEventSource(SqsClient sqs, String queueUrl, String queueArn,
                          RequestHandler<SQSEvent, SQSBatchResponse> function, String functionName,
                          Duration functionTimeout, int pollers) {
        if (pollers < 1) {
            throw new IllegalArgumentException("pollers must be at least 1");
        }
        this.sqs = Objects.requireNonNull(sqs);
        this.queueUrl = Objects.requireNonNull(queueUrl);
        this.queueArn = Objects.requireNonNull(queueArn);
        this.function = Objects.requireNonNull(function);
        this.functionName = functionName;
        this.functionTimeout = functionTimeout;
        this.pollers = pollers;
    }

    public synchronized SqsEventSource start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        for (int i = 0; i < pollers; i++) {
            threads.add(Thread.ofPlatform().daemon().name(functionName + "-poller-" + i).start(this::poll));
        }
        return this;
    }

    /** Stops polling; a batch being handled is finished (and acknowledged) first, up to a deadline. */
    @Override
    public synchronized void close() {
        running.set(false);
        long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS + 5).toNanos();
        for (Thread t : threads) {
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                t.join(left);
                if (t.isAlive()) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        threads.clear();
    }

    private void poll() {
        while (running.get()) {
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(MAX_BATCH)
                        .waitTimeSeconds(WAIT_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
            } catch (QueueDoesNotExistException e) {
                if (running.get()) {
                    System.err.println("signet-local: " + functionName + ": the queue " + queueUrl + " is gone; polling stops");
                }
                return;
            } catch (RuntimeException e) {
                if (!running.get() || Jvm.shuttingDown()) {
                    return; // the emulator may already be gone; nothing was received, so nothing is lost
                }
                System.err.println("signet-local: " + functionName + ": ReceiveMessage failed, retrying in 1 s: " + e);
                pause();
                continue;
            }
            if (!messages.isEmpty()) {
                invoke(messages);
            }
        }
    }

    private void invoke(List<Message> messages) {
        SQSEvent event = toEvent(messages);
        Set<String> failed;
        try {
            SQSBatchResponse response = function.handleRequest(event, new LocalLambdaContext(functionName, functionTimeout));
            failed = failedIds(response, messages);
        } catch (RuntimeException | Error e) {
            System.err.println("signet-local: " + functionName + " failed on a batch of " + messages.size()
                    + " message(s); they return to the queue after their visibility timeout:");
            e.printStackTrace();
            return;
        }
        if (failed == null) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(m.receiptHandle()).build());
            }
        }
        if (done.isEmpty()) {
            return;
        }
        try {
            DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
            deleted.failed().forEach(f -> System.err.println("signet-local: " + functionName
                    + ": could not delete a handled message (it will be delivered again): " + f.code() + " " + f.message()));
        } catch (RuntimeException e) {
            System.err.println("signet-local: " + functionName
                    + ": DeleteMessageBatch failed; the handled messages will be delivered again: " + e);
        }
    }

    /**
     * The ids to keep, or null to keep the whole batch: Lambda treats a failure entry with an empty
     * or unknown itemIdentifier as a failure of the whole batch.
     */
    private Set<String> failedIds(SQSBatchResponse response, List<Message> messages) {
        if (response == null || response.getBatchItemFailures() == null) {
            return Set.of();
        }
        Set<String> inBatch = messages.stream().map(Message::messageId).collect(Collectors.toSet());
        Set<String> failed = new java.util.HashSet<>();
        for (SQSBatchResponse.BatchItemFailure f : response.getBatchItemFailures()) {
            String id = f == null ? null : f.getItemIdentifier();
            if (id == null || !inBatch.contains(id)) {
                System.err.println("signet-local: " + functionName + " reported a batch item failure for "
                        + (id == null || id.isEmpty() ? "no message id" : "an unknown message id " + id)
                        + "; as Lambda does, the whole batch is kept");
                return null;
            }
            failed.add(id);
        }
        return failed;
    }

    /** The event Lambda's SQS event source mapping builds from received messages. */
    SQSEvent toEvent(List<Message> messages) {
        String region = Emulators.REGION;
        List<SQSEvent.SQSMessage> records = new ArrayList<>(messages.size());
        for (Message m : messages) {
            SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
            r.setMessageId(m.messageId());
            r.setReceiptHandle(m.receiptHandle());
            r.setBody(m.body());
            r.setMd5OfBody(m.md5OfBody());
            r.setMd5OfMessageAttributes(m.md5OfMessageAttributes());
            r.setAttributes(new LinkedHashMap<>(m.attributesAsStrings()));
            Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
            m.messageAttributes().forEach((name, value) -> attributes.put(name, toAttribute(value)));
            r.setMessageAttributes(attributes);
            r.setEventSource("aws:sqs");
            r.setEventSourceArn(queueArn);
            r.setAwsRegion(region);
            records.add(r);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static SQSEvent.MessageAttribute toAttribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute a = new SQSEvent.MessageAttribute();
        a.setDataType(value.dataType());
        a.setStringValue(value.stringValue());
        if (value.binaryValue() != null) {
            a.setBinaryValue(value.binaryValue().asByteBuffer());
        }
        a.setStringListValues(value.hasStringListValues() ? value.stringListValues() : List.of());
        a.setBinaryListValues(value.hasBinaryListValues()
                ? value.binaryListValues().stream().map(b -> b.asByteBuffer()).toList() : List.of());
        return a;
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }
}
