package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.management.ManagementHandler;

/** Cold start of the management function: construct, (prime,) then list a workspace's endpoints with the admin key, twice. */
public final class ManagementFirstResponse {
    private ManagementFirstResponse() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        ManagementHandler handler = new ManagementHandler();
        long constructed = System.nanoTime();
        long primed = FirstResponse.prime("dev.signet.management.ManagementPriming");
        String path = "/v1/workspaces/" + System.getenv("BENCH_WORKSPACE") + "/endpoints";
        long first = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(FirstResponse.request("GET", path, System.getenv("SIGNET_ADMIN_KEY"), null), null);
        long firstDone = System.nanoTime();
        APIGatewayV2HTTPResponse again = handler.handleRequest(FirstResponse.request("GET", path, System.getenv("SIGNET_ADMIN_KEY"), null), null);
        long secondDone = System.nanoTime();
        FirstResponse.report(main, constructed, primed, first, firstDone, firstDone, secondDone,
                "HTTP " + response.getStatusCode() + (again.getStatusCode() == response.getStatusCode() ? "" : " then " + again.getStatusCode()));
    }
}
