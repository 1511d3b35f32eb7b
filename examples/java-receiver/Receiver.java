// Receives Signet's webhooks and verifies each one (Standard Webhooks) before trusting it.
// Java 17+, the JDK's HTTP server and com.standardwebhooks:standardwebhooks, nothing else:
//   mvn dependency:copy -Dartifact=com.standardwebhooks:standardwebhooks:1.1.0 -DoutputDirectory=.
//   WEBHOOK_SECRET=whsec_… PORT=3000 java -cp standardwebhooks-1.1.0.jar Receiver.java
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import com.sun.net.httpserver.HttpServer;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

public class Receiver {
    public static void main(String[] args) throws Exception {
        Webhook webhook = new Webhook(System.getenv("WEBHOOK_SECRET")); // the endpoint's secret, "whsec_…"
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "3000"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/signet", exchange -> {
            try {
                // The exact bytes Signet sent: the signature covers those bytes, and JSON parsed and
                // serialised again would not match. Parse `raw` only after it verified.
                String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                try {
                    webhook.verify(raw, exchange.getRequestHeaders()); // signature and timestamp (5 min)
                } catch (WebhookVerificationException e) {
                    System.out.println("rejected: " + e.getMessage());
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                // The same webhook-id arrives again on a retry or recover: deduplicate on it.
                System.out.println(exchange.getRequestHeaders().getFirst("webhook-id") + ": signature verified");
                exchange.sendResponseHeaders(204, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        System.out.println("listening on http://127.0.0.1:" + server.getAddress().getPort() + "/signet");
    }
}
