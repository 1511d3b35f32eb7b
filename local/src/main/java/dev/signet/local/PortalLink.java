package dev.signet.local;

import dev.signet.core.json.Json;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * {@code scripts/local portal-link [workspace] [--ttl SECONDS]}: a fresh portal link for a workspace of
 * the running local mode (the demo's link lasts an hour, and reloading the portal ends its session).
 * It mints a session with the admin key, as a product backend does, and prints only its
 * {@code portal_url}, so {@code $(scripts/local portal-link)} can be opened or passed on.
 */
final class PortalLink {
    static final String COMMAND = "portal-link";
    private static final int DEFAULT_TTL_SECONDS = 3600;

    private PortalLink() {
    }

    /** Exit status: 0 printed a link, 1 the API refused or did not answer, 2 called wrongly. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String workspace = null;
        int ttl = DEFAULT_TTL_SECONDS;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--ttl") && i + 1 < args.length) {
                try {
                    ttl = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    return usage(err, "--ttl needs a number of seconds (60 to 86400)");
                }
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println("usage: scripts/local portal-link [workspace] [--ttl SECONDS]   (workspace: casterly by default)");
                return 0;
            } else if (!a.startsWith("-") && workspace == null) {
                workspace = a;
            } else {
                return usage(err, "unknown argument " + a);
            }
        }
        if (workspace == null) {
            workspace = LocalSignet.DEMO_WORKSPACE;
        }
        String admin = env.get("SIGNET_ADMIN_KEY");
        if (admin == null || admin.isBlank()) {
            return usage(err, "portal-link needs the admin key in SIGNET_ADMIN_KEY: paste the export lines local mode printed");
        }
        String api = env.getOrDefault("SIGNET_API_URL", "");
        if (api.isBlank()) {
            String port = env.getOrDefault("SIGNET_PORT", "");
            api = "http://127.0.0.1:" + (port.isBlank() ? LocalSignet.DEFAULT_PORT : port.trim());
        }
        URI base = URI.create(api.endsWith("/") ? api : api + "/");

        ApiClient.Reply reply;
        try {
            reply = new ApiClient(base).post("v1/workspaces/" + workspace + "/sessions", admin.trim(),
                    Json.object().put("ttl_seconds", ttl));
        } catch (UncheckedIOException e) {
            err.println("signet: no Signet answers at " + base + " (is scripts/local running? SIGNET_API_URL names it): "
                    + e.getMessage());
            return 1;
        }
        if (reply.status() != 201) {
            String message = reply.status() == 401 ? "the admin key in SIGNET_ADMIN_KEY is not this local mode's"
                    : reply.status() == 404 ? "there is no workspace \"" + workspace + "\""
                    : reply.body();
            err.println("signet: no portal link (HTTP " + reply.status() + "): " + message);
            return 1;
        }
        out.println(reply.text("portal_url"));
        return 0;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("signet: " + problem);
        err.println("usage: scripts/local portal-link [workspace] [--ttl SECONDS]");
        return 2;
    }
}
