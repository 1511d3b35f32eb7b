package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.ingest.IngestHandler;

/** Cold start of the ingest function: construct, then {@code POST /v1/events} with a valid ingest key. */
public final class IngestFirstResponse {
    private IngestFirstResponse() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        IngestHandler handler = new IngestHandler();
        long constructed = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(FirstResponse.request("POST", "/v1/events",
                System.getenv("BENCH_INGEST_KEY"), System.getenv("BENCH_EVENT")), null);
        long responded = System.nanoTime();
        FirstResponse.report(main, constructed, responded, "HTTP " + response.getStatusCode());
    }
}
