package dev.signet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * What an operator does through Signet's own API with the admin key: recover (replay) an endpoint's
 * failed deliveries, read its recent attempts, enable or disable it. The key goes only into the
 * Authorization header; nothing printed here contains it.
 */
final class ManagementApi {
    private final URI base;
    private final String adminKey;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ManagementApi(URI base, String adminKey, PrintStream out) {
        this.base = URI.create(base.toString().replaceAll("/+$", ""));
        this.adminKey = adminKey;
        this.out = out;
    }

    /** Recover over the window, calling again from each {@code resume_since} until the server has done it all. */
    boolean replay(String ws, String ep, Instant since, Instant until) {
        long queued = 0;
        int calls = 0;
        Instant from = since;
        while (from != null) {
            var body = Json.object().put("since", from.toString());
            if (until != null) {
                body.put("until", until.toString());
            }
            Reply r = send("POST", endpointPath(ws, ep) + "/recover", Json.write(body));
            if (r.status() != 202) {
                if (queued > 0) {
                    out.println("replay stopped after queuing " + queued + " events; run it again with --since " + from);
                }
                return failed("replay", r);
            }
            queued += r.json().path("queued").asLong();
            calls++;
            Instant resume = r.json().hasNonNull("resume_since") ? Instant.parse(r.json().path("resume_since").asText()) : null;
            if (resume != null && !resume.isAfter(from)) {
                out.println("replay stopped: the server answered resume_since " + resume + ", not after " + from);
                return false;
            }
            from = resume;
        }
        out.println("replay queued " + queued + " events for " + ws + "/" + ep
                + " whose delivery failed between " + since + " and " + (until == null ? "now" : until.toString())
                + (calls > 1 ? " (in " + calls + " requests)" : ""));
        out.println("  they are delivered with their original webhook-id; follow with: signet attempts --workspace " + ws + " --endpoint " + ep);
        return true;
    }

    boolean attempts(String ws, String ep, String status, int limit) {
        StringBuilder q = new StringBuilder("?limit=").append(limit);
        if (ep != null) {
            q.append("&endpoint_id=").append(URLEncoder.encode(ep, StandardCharsets.UTF_8));
        }
        if (status != null) {
            q.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
        }
        Reply r = send("GET", "/v1/workspaces/" + enc(ws) + "/attempts" + q, null);
        if (r.status() != 200) {
            return failed("attempts", r);
        }
        JsonNode data = r.json().path("data");
        if (data.isEmpty()) {
            out.println("no attempts");
            return true;
        }
        out.printf("%-20s  %-32s  %-30s  %3s  %-9s  %6s  %s%n", "time", "endpoint", "event", "#", "status", "http", "error");
        for (JsonNode a : data) {
            out.printf("%-20s  %-32s  %-30s  %3d  %-9s  %6s  %s%n", a.path("created_at").asText(), a.path("endpoint_id").asText(),
                    a.path("event_id").asText(), a.path("attempt").asInt(), a.path("status").asText(),
                    a.path("response_status").isNull() ? "-" : a.path("response_status").asText(),
                    a.path("error").isNull() ? "" : a.path("error").asText());
        }
        return true;
    }

    boolean endpoint(String ws, String ep) {
        Reply r = send("GET", endpointPath(ws, ep), null);
        if (r.status() != 200) {
            return failed("endpoint", r);
        }
        JsonNode e = r.json();
        out.println("endpoint " + e.path("id").asText() + "  " + e.path("url").asText());
        out.println("  enabled          " + e.path("enabled").asBoolean()
                + (e.path("disabled_reason").isNull() || e.path("disabled_reason").isMissingNode() ? "" : "  (" + e.path("disabled_reason").asText() + ")"));
        out.println("  event types      " + (e.path("event_types").isEmpty() ? "all" : e.path("event_types").toString()));
        out.println("  timeout          " + e.path("timeout_seconds").asInt() + " s");
        out.println("  updated          " + e.path("updated_at").asText());
        return true;
    }

    boolean setEnabled(String ws, String ep, boolean enabled) {
        Reply r = send("PATCH", endpointPath(ws, ep), "{\"enabled\":" + enabled + "}");
        if (r.status() != 200) {
            return failed(enabled ? "enable" : "disable", r);
        }
        out.println("endpoint " + ws + "/" + ep + (enabled ? " enabled: new events are delivered again (replay brings back what it missed)"
                : " disabled: its queued deliveries end without being sent"));
        return true;
    }

    private static String endpointPath(String ws, String ep) {
        return "/v1/workspaces/" + enc(ws) + "/endpoints/" + enc(ep);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private boolean failed(String what, Reply r) {
        JsonNode err = r.json().path("error");
        out.println(what + " failed: HTTP " + r.status()
                + (err.isMissingNode() ? "" : " " + err.path("code").asText() + ": " + err.path("message").asText()));
        return false;
    }

    private Reply send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("authorization", "Bearer " + adminKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the Signet API at " + base + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private record Reply(int status, String body) {
        JsonNode json() {
            try {
                return body == null || body.isBlank() ? Json.object() : Json.parse(body);
            } catch (IOException e) {
                return Json.object();
            }
        }
    }
}
