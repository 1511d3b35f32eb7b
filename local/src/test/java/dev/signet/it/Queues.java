package dev.signet.it;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;

/** Queue depth as SQS reports it: visible plus in flight (hidden until a retry). */
final class Queues {
    private Queues() {
    }

    /**
     * The bodies of every message in the queue, each received with a short visibility and handed back
     * at once (nothing is deleted).
     */
    static java.util.List<String> peekAll(SqsClient sqs, String queueUrl) {
        java.util.Map<String, String> bodies = new java.util.LinkedHashMap<>();
        java.util.List<software.amazon.awssdk.services.sqs.model.Message> held = new java.util.ArrayList<>();
        for (int empty = 0; empty < 2; ) {
            var got = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).visibilityTimeout(30).waitTimeSeconds(0)).messages();
            empty = got.isEmpty() ? empty + 1 : 0;
            for (var m : got) {
                bodies.put(m.messageId(), m.body());
                held.add(m);
            }
        }
        for (var m : held) {
            sqs.changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()).visibilityTimeout(0));
        }
        return java.util.List.copyOf(bodies.values());
    }

    static int depth(SqsClient sqs, String queueUrl) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"))
                + Integer.parseInt(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "0"));
    }
}
