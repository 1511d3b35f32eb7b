package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.delivery.DeliveryHandler;

import java.util.List;
import java.util.Map;

/**
 * Cold start of the delivery function: construct, then one SQS batch of one job for a real endpoint
 * (endpoint and secret reads, signing, the POST to a loopback receiver, the attempt write).
 */
public final class DeliveryFirstResponse {
    private DeliveryFirstResponse() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        DeliveryHandler handler = new DeliveryHandler();
        long constructed = System.nanoTime();
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("cold-start");
        m.setReceiptHandle("cold-start");
        m.setBody(System.getenv("BENCH_JOB"));
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        SQSBatchResponse response = handler.handleRequest(event, null);
        long responded = System.nanoTime();
        FirstResponse.report(main, constructed, responded,
                response.getBatchItemFailures().isEmpty() ? "delivered" : "failed");
    }
}
