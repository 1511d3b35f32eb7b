package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.signet.delivery.DeliveryHandler;

import java.util.List;
import java.util.Map;

/**
 * Cold start of the delivery function: construct, (prime,) then one SQS batch of one job for a real endpoint
 * (endpoint and secret reads, signing, the POST to a loopback receiver, the attempt write), then a second job.
 */
public final class DeliveryFirstResponse {
    private DeliveryFirstResponse() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        DeliveryHandler handler = new DeliveryHandler();
        long constructed = System.nanoTime();
        long primed = FirstResponse.prime("dev.signet.delivery.DeliveryPriming");
        long first = System.nanoTime();
        SQSBatchResponse response = handler.handleRequest(event(System.getenv("BENCH_JOB")), null);
        long firstDone = System.nanoTime();
        SQSBatchResponse again = handler.handleRequest(event(System.getenv("BENCH_JOB_2")), null);
        long secondDone = System.nanoTime();
        FirstResponse.report(main, constructed, primed, first, firstDone, firstDone, secondDone,
                response.getBatchItemFailures().isEmpty() && again.getBatchItemFailures().isEmpty() ? "delivered" : "failed");
    }

    private static SQSEvent event(String job) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId("cold-start");
        m.setReceiptHandle("cold-start");
        m.setBody(job);
        m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(m));
        return event;
    }
}
