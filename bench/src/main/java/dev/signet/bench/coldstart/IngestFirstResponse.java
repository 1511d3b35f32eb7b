package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.ingest.IngestHandler;

/** Cold start of the ingest function: construct, (prime,) then {@code POST /v1/events} with a valid ingest key, twice. */
public final class IngestFirstResponse {
    private IngestFirstResponse() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        IngestHandler handler = new IngestHandler();
        long constructed = System.nanoTime();
        long primed = FirstResponse.prime("dev.signet.ingest.IngestPriming");
        long first = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(FirstResponse.request("POST", "/v1/events",
                System.getenv("BENCH_INGEST_KEY"), System.getenv("BENCH_EVENT")), null);
        long firstDone = System.nanoTime();
        APIGatewayV2HTTPResponse again = handler.handleRequest(FirstResponse.request("POST", "/v1/events",
                System.getenv("BENCH_INGEST_KEY"), System.getenv("BENCH_EVENT")), null);
        long secondDone = System.nanoTime();
        FirstResponse.report(main, constructed, primed, first, firstDone, firstDone, secondDone,
                "HTTP " + response.getStatusCode() + (again.getStatusCode() == response.getStatusCode() ? "" : " then " + again.getStatusCode()));
    }
}
