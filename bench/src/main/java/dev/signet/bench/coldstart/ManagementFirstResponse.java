package dev.signet.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.signet.management.ManagementHandler;

/** Cold start of the management function: construct, then list a workspace's endpoints with the admin key. */
public final class ManagementFirstResponse {
    private ManagementFirstResponse() {
    }

    public static void main(String[] args) {
        long main = System.nanoTime();
        ManagementHandler handler = new ManagementHandler();
        long constructed = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(FirstResponse.request("GET",
                "/v1/workspaces/" + System.getenv("BENCH_WORKSPACE") + "/endpoints", System.getenv("SIGNET_ADMIN_KEY"), null), null);
        long responded = System.nanoTime();
        FirstResponse.report(main, constructed, responded, "HTTP " + response.getStatusCode());
    }
}
