package dev.signet.ops;

import dev.signet.core.event.DeliveryJob;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ListMessageMoveTasksResultEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter queue, for an operator: look without taking ({@link #stats}), move back to the
 * deliveries queue with SQS message-move tasks ({@link #redrive}, {@link #tasks}, {@link #cancel}).
 * Nothing here ever deletes a message.
 */
final class DeadLetters {
    /** How long a peeked message stays hidden if the tool dies before handing it back (then SQS does). */
    static final int PEEK_VISIBILITY_SECONDS = 30;

    private final SqsClient sqs;
    private final PrintStream out;
    private final Clock clock;

    DeadLetters(SqsClient sqs, PrintStream out, Clock clock) {
        this.sqs = sqs;
        this.out = out;
        this.clock = clock;
    }

    /** Depth and age from the queue's attributes; who is failing from a sample, handed straight back. */
    void stats(String dlqUrl, int sampleSize) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        int visible = Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"));
        int inFlight = Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
        out.println("Dead-letter queue  " + dlqUrl);
        out.println("  messages         " + visible + " visible, " + inFlight + " in flight");
        if (visible == 0) {
            out.println("  nothing to redrive");
            return;
        }
        List<Message> sample = peek(dlqUrl, sampleSize);
        Instant oldest = null;
        Map<String, Integer> byEndpoint = new LinkedHashMap<>();
        Map<String, String> lastType = new LinkedHashMap<>();
        int unreadable = 0;
        for (Message m : sample) {
            String sent = m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP);
            if (sent != null) {
                Instant t = Instant.ofEpochMilli(Long.parseLong(sent));
                oldest = oldest == null || t.isBefore(oldest) ? t : oldest;
            }
            try {
                DeliveryJob job = DeliveryJob.fromMessageBody(m.body());
                String key = job.workspaceId() + "\t" + job.endpointId();
                byEndpoint.merge(key, 1, Integer::sum);
                lastType.put(key, job.eventType());
            } catch (IllegalArgumentException e) {
                unreadable++;
            }
        }
        if (oldest != null) {
            out.println("  oldest           " + ago(Duration.between(oldest, clock.instant())) + " ago (first sent " + oldest + ")"
                    + (sample.size() < visible ? ", oldest of the sample" : ""));
        }
        out.println("  sample           " + sample.size() + " of " + visible + " (peeked and handed back; nothing consumed)");
        out.printf("  %6s  %-24s  %-32s  %s%n", "count", "workspace", "endpoint", "event type (latest seen)");
        byEndpoint.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).forEach(e -> {
            String[] k = e.getKey().split("\t", 2);
            out.printf("  %6d  %-24s  %-32s  %s%n", e.getValue(), k[0], k[1], lastType.get(e.getKey()));
        });
        if (unreadable > 0) {
            out.printf("  %6d  (not a Signet delivery job)%n", unreadable);
        }
    }

    /**
     * Receives up to {@code n} distinct messages, hiding them briefly so each is seen once, then sets
     * their visibility back to 0 — always, even when the reading fails half-way. Never deletes.
     */
    List<Message> peek(String queueUrl, int n) {
        Map<String, Message> seen = new LinkedHashMap<>();
        try {
            int emptyReceives = 0;
            for (int calls = 0; seen.size() < n && calls < n / 10 + 10 && emptyReceives < 2; calls++) {
                int want = Math.min(10, n - seen.size());
                List<Message> got = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(want)
                        .visibilityTimeout(PEEK_VISIBILITY_SECONDS).waitTimeSeconds(0)
                        .messageSystemAttributeNames(MessageSystemAttributeName.SENT_TIMESTAMP,
                                MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
                emptyReceives = got.isEmpty() ? emptyReceives + 1 : 0;
                for (Message m : got) {
                    Message before = seen.putIfAbsent(m.messageId(), m);
                    if (before != null) {
                        seen.put(m.messageId(), m); // the newest receipt handle is the one that counts
                    }
                }
            }
        } finally {
            handBack(queueUrl, new ArrayList<>(seen.values()));
        }
        return new ArrayList<>(seen.values());
    }

    private void handBack(String queueUrl, List<Message> messages) {
        for (int i = 0; i < messages.size(); i += 10) {
            List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
            for (int j = i; j < Math.min(i + 10, messages.size()); j++) {
                entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(Integer.toString(j))
                        .receiptHandle(messages.get(j).receiptHandle()).visibilityTimeout(0).build());
            }
            var result = sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
            if (!result.failed().isEmpty()) {
                out.println("  note: " + result.failed().size() + " peeked messages become visible again within "
                        + PEEK_VISIBILITY_SECONDS + " s instead of at once");
            }
        }
    }

    /**
     * Starts a message-move task from the DLQ to the deliveries queue and, unless told not to, follows it.
     * The destination is always named: messages the delivery function sent to the DLQ itself have no
     * source queue on record, and a task without a destination would have nowhere to return them.
     */
    boolean redrive(String dlqUrl, String queueUrl, Integer maxPerSecond, boolean wait, Duration poll) {
        String source = arn(dlqUrl);
        String destination = arn(queueUrl);
        String handle = sqs.startMessageMoveTask(r -> {
            r.sourceArn(source).destinationArn(destination);
            if (maxPerSecond != null) {
                r.maxNumberOfMessagesPerSecond(maxPerSecond);
            }
        }).taskHandle();
        out.println("redrive started: " + source + " -> " + destination
                + (maxPerSecond == null ? "" : " at most " + maxPerSecond + "/s"));
        out.println("  task " + handle);
        if (!wait) {
            out.println("  follow it with: signet dlq tasks --dlq " + dlqUrl);
            return true;
        }
        return follow(source, handle, poll);
    }

    private boolean follow(String sourceArn, String handle, Duration poll) {
        String last = null;
        while (true) {
            ListMessageMoveTasksResultEntry task = latest(sourceArn, handle);
            if (task == null) {
                out.println("  the task is no longer listed; check with: signet dlq tasks");
                return false;
            }
            String line = "  " + task.status().toLowerCase(java.util.Locale.ROOT) + ": moved "
                    + progress(task, " of ");
            if (!line.equals(last)) {
                out.println(line);
                last = line;
            }
            switch (task.status()) {
                case "COMPLETED" -> {
                    out.println("redrive done: " + task.approximateNumberOfMessagesMoved() + " messages back on the deliveries queue");
                    return true;
                }
                case "FAILED", "CANCELLED" -> {
                    out.println("redrive " + task.status().toLowerCase(java.util.Locale.ROOT)
                            + (task.failureReason() == null ? "" : ": " + task.failureReason()));
                    return false;
                }
                default -> sleep(poll);
            }
        }
    }

    /** The task with this handle; SQS lists only the most recent tasks of a source, newest first. */
    private ListMessageMoveTasksResultEntry latest(String sourceArn, String handle) {
        List<ListMessageMoveTasksResultEntry> all = sqs.listMessageMoveTasks(r -> r.sourceArn(sourceArn).maxResults(10)).results();
        return all.stream().filter(t -> handle == null || handle.equals(t.taskHandle())).findFirst()
                // A finished task may be listed without its handle: then it is the newest one.
                .orElse(all.isEmpty() || all.getFirst().taskHandle() != null ? null : all.getFirst());
    }

    void tasks(String dlqUrl) {
        String source = arn(dlqUrl);
        List<ListMessageMoveTasksResultEntry> all = sqs.listMessageMoveTasks(r -> r.sourceArn(source).maxResults(10)).results();
        if (all.isEmpty()) {
            out.println("no message-move tasks from " + source + " (SQS keeps the last 10 for 14 days)");
            return;
        }
        out.printf("%-10s  %-24s  %-13s  %s%n", "status", "started", "moved", "task / reason");
        all.stream().sorted(Comparator.comparing(ListMessageMoveTasksResultEntry::startedTimestamp,
                Comparator.nullsLast(Comparator.reverseOrder()))).forEach(t -> out.printf("%-10s  %-24s  %-13s  %s%n",
                t.status(), t.startedTimestamp() == null ? "?" : Instant.ofEpochMilli(t.startedTimestamp()),
                progress(t, "/"),
                t.failureReason() != null ? t.failureReason() : t.taskHandle() == null ? "" : t.taskHandle()));
    }

    /** Cancels the given task, or else the running one; false if there is none. */
    boolean cancel(String dlqUrl, String handle) {
        String source = arn(dlqUrl);
        String target = handle;
        if (target == null) {
            target = sqs.listMessageMoveTasks(r -> r.sourceArn(source).maxResults(10)).results().stream()
                    .filter(t -> "RUNNING".equals(t.status()) && t.taskHandle() != null)
                    .map(ListMessageMoveTasksResultEntry::taskHandle).findFirst().orElse(null);
            if (target == null) {
                out.println("no running message-move task from " + source);
                return false;
            }
        }
        String taskHandle = target;
        long moved = sqs.cancelMessageMoveTask(r -> r.taskHandle(taskHandle)).approximateNumberOfMessagesMoved();
        out.println("cancelled " + taskHandle + " after moving about " + moved + " messages; the rest stay in the dead-letter queue");
        return true;
    }

    String arn(String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** "moved of total"; the total only while SQS reports one (it may say 0 once a task is over). */
    private static String progress(ListMessageMoveTasksResultEntry t, String of) {
        long moved = t.approximateNumberOfMessagesMoved() == null ? 0 : t.approximateNumberOfMessagesMoved();
        Long total = t.approximateNumberOfMessagesToMove();
        return total == null || total < moved || total == 0 ? Long.toString(moved) : moved + of + total;
    }

    static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return (s / 60) + "m";
        }
        if (s < 172_800) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
