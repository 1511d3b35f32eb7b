package dev.signet.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Stands in for Lambda's SQS event source mapping with {@code ReportBatchItemFailures}: pollers
 * long-poll the queue and hand each batch, as an {@link SQSEvent}, to one of up to
 * {@link Scaling#maxConcurrency()} function instances (each built once by the factory and reused, as
 * Lambda reuses warm instances), without waiting for it: a poller polls again as soon as an instance is
 * free, so one slow invocation holds one instance, not a poller. When an invocation ends the messages
 * it did not report in {@code batchItemFailures} are deleted; when it throws (or reports a failure that
 * names no message of the batch) nothing is deleted, and the messages come back after their visibility
 * timeout, exactly as in Lambda. A local error never deletes a message.
 *
 * <p><b>Fairness.</b> On AWS the deliveries queue is an SQS fair queue: every message carries its
 * workspace as {@code MessageGroupId}, and SQS hands out quiet groups' messages first while one group
 * holds a disproportionate share of the messages in flight. ElasticMQ returns messages in arrival
 * order whatever their group, so this event source does the same thing itself: a group is noisy while
 * it holds at least {@link #NOISY_SHARE} of the messages in flight here and at least
 * {@link #NOISY_MIN} of them; a received batch that mixes noisy and quiet groups' messages is handed to
 * the function with the quiet ones only, the noisy ones are made visible again after
 * {@link #HANDED_BACK_FOR}, and a batch of noisy messages alone is delivered as it is (as SQS does when
 * no quiet message is waiting).
 */
public final class SqsEventSource implements AutoCloseable {
    public static final int DEFAULT_POLLERS = 2;
    /** Local instances of the function, like the event source's maximum concurrency. */
    public static final int DEFAULT_MAX_CONCURRENCY = 10;
    static final int MAX_BATCH = 10;
    static final int WAIT_SECONDS = 1;
    static final double NOISY_SHARE = 0.5;
    static final int NOISY_MIN = 5;
    static final Duration HANDED_BACK_FOR = Duration.ofSeconds(1);

    /** How the event source scales: pollers, and instances of the function invoked at once. */
    public record Scaling(int pollers, int maxConcurrency) {
        public Scaling {
            if (pollers < 1 || maxConcurrency < 1) {
                throw new IllegalArgumentException("pollers and maximum concurrency must be at least 1");
            }
        }

        public static Scaling of(int pollers) {
            return new Scaling(pollers, Math.max(pollers, DEFAULT_MAX_CONCURRENCY));
        }
    }

    /** The queue polled and the function fed: its instances come from {@code instances}. */
    public record Source(String queueUrl, String queueArn, String functionName, Duration functionTimeout,
                         Supplier<RequestHandler<SQSEvent, SQSBatchResponse>> instances) {
    }

    private final SqsClient sqs;
    private final Source source;
    private final Scaling scaling;
    private final AtomicBoolean running = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final BlockingQueue<RequestHandler<SQSEvent, SQSBatchResponse>> idle;
    private final AtomicInteger created = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> inFlightByGroup = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();

    /** A single-poller source for one instance of {@code function} (tests that drive one instance). */
    public SqsEventSource(SqsClient sqs, String queueUrl, String queueArn, RequestHandler<SQSEvent, SQSBatchResponse> function,
                          String functionName, Duration functionTimeout, int pollers) {
        this(sqs, new Source(queueUrl, queueArn, functionName, functionTimeout, () -> function), new Scaling(pollers, pollers));
    }

    public SqsEventSource(SqsClient sqs, Source source, Scaling scaling) {
        this.sqs = Objects.requireNonNull(sqs);
        this.source = Objects.requireNonNull(source);
        this.scaling = Objects.requireNonNull(scaling);
        this.idle = new ArrayBlockingQueue<>(scaling.maxConcurrency());
    }

    public synchronized SqsEventSource start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        for (int i = 0; i < scaling.pollers(); i++) {
            threads.add(Thread.ofPlatform().daemon().name(source.functionName() + "-poller-" + i).start(this::poll));
        }
        return this;
    }

    /** Stops polling; invocations under way are finished (and acknowledged) first, up to a deadline. */
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
        invocations.shutdown();
        try {
            invocations.awaitTermination(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An idle instance, a new one while fewer than the maximum exist, or null once stopped. */
    private RequestHandler<SQSEvent, SQSBatchResponse> instance() throws InterruptedException {
        while (running.get()) {
            RequestHandler<SQSEvent, SQSBatchResponse> free = idle.poll();
            if (free != null) {
                return free;
            }
            if (created.getAndUpdate(n -> n < scaling.maxConcurrency() ? n + 1 : n) < scaling.maxConcurrency()) {
                return source.instances().get();
            }
            free = idle.poll(100, TimeUnit.MILLISECONDS);
            if (free != null) {
                return free;
            }
        }
        return null;
    }

    private void poll() {
        while (running.get()) {
            RequestHandler<SQSEvent, SQSBatchResponse> function;
            try {
                function = instance();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (function == null) {
                return;
            }
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(b -> b.queueUrl(source.queueUrl())
                        .maxNumberOfMessages(MAX_BATCH)
                        .waitTimeSeconds(WAIT_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
            } catch (QueueDoesNotExistException e) {
                idle.offer(function);
                if (running.get()) {
                    System.err.println("signet-local: " + source.functionName() + ": the queue " + source.queueUrl() + " is gone; polling stops");
                }
                return;
            } catch (RuntimeException e) {
                idle.offer(function);
                if (!running.get() || Jvm.shuttingDown()) {
                    return; // the emulator may already be gone; nothing was received, so nothing is lost
                }
                System.err.println("signet-local: " + source.functionName() + ": ReceiveMessage failed, retrying in 1 s: " + e);
                pause();
                continue;
            }
            List<Message> batch = quietFirst(messages);
            if (batch.isEmpty()) {
                idle.offer(function);
                continue;
            }
            batch.forEach(m -> track(m, 1));
            invocations.submit(() -> {
                try {
                    invoke(function, batch);
                } finally {
                    batch.forEach(m -> track(m, -1));
                    idle.offer(function);
                }
            });
        }
    }

    /**
     * The messages to invoke with, quiet groups' first: a noisy group's messages are handed back for
     * {@link #HANDED_BACK_FOR} when quiet ones came with them.
     */
    private List<Message> quietFirst(List<Message> messages) {
        List<Message> quiet = new ArrayList<>();
        List<Message> noisy = new ArrayList<>();
        for (Message m : messages) {
            (isNoisy(group(m)) ? noisy : quiet).add(m);
        }
        if (quiet.isEmpty() || noisy.isEmpty()) {
            return messages;
        }
        handBack(noisy);
        return quiet;
    }

    private boolean isNoisy(String group) {
        if (group == null) {
            return false; // a message without a group is a group of its own
        }
        AtomicInteger mine = inFlightByGroup.get(group);
        int n = mine == null ? 0 : mine.get();
        return n >= NOISY_MIN && n >= NOISY_SHARE * Math.max(1, inFlight.get());
    }

    private static String group(Message m) {
        return m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
    }

    private void track(Message m, int delta) {
        inFlight.addAndGet(delta);
        String group = group(m);
        if (group != null) {
            inFlightByGroup.computeIfAbsent(group, g -> new AtomicInteger()).addAndGet(delta);
        }
    }

    private void handBack(List<Message> messages) {
        List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).visibilityTimeout((int) HANDED_BACK_FOR.toSeconds()).build());
        }
        try {
            sqs.changeMessageVisibilityBatch(b -> b.queueUrl(source.queueUrl()).entries(entries));
        } catch (RuntimeException e) {
            // They come back after the queue's visibility timeout instead: later, never lost.
            System.err.println("signet-local: " + source.functionName() + ": could not hand back a noisy group's messages: " + e);
        }
    }

    private void invoke(RequestHandler<SQSEvent, SQSBatchResponse> function, List<Message> messages) {
        SQSEvent event = toEvent(messages);
        Set<String> failed;
        try {
            SQSBatchResponse response = function.handleRequest(event, new LocalLambdaContext(source.functionName(), source.functionTimeout()));
            failed = failedIds(response, messages);
        } catch (RuntimeException | Error e) {
            System.err.println("signet-local: " + source.functionName() + " failed on a batch of " + messages.size()
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
            DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(b -> b.queueUrl(source.queueUrl()).entries(done));
            deleted.failed().forEach(f -> System.err.println("signet-local: " + source.functionName()
                    + ": could not delete a handled message (it will be delivered again): " + f.code() + " " + f.message()));
        } catch (RuntimeException e) {
            System.err.println("signet-local: " + source.functionName()
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
                System.err.println("signet-local: " + source.functionName() + " reported a batch item failure for "
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
            r.setEventSourceArn(source.queueArn());
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
