package dev.signet.core.config;

import dev.signet.core.retry.RetrySchedule;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Every setting, read in one place from the environment (the Lambda function's, or the map local mode
 * builds). Names are listed in README.md; required ones fail at start with a message naming them.
 */
public record SignetConfig(
        String configTable,
        String eventsTable,
        String deliveryQueueUrl,
        String deadLetterQueueUrl,
        String credentialKeySecretId,
        Duration credentialKeyCacheTtl,
        String adminKey,
        String adminKeySecretId,
        RetrySchedule retrySchedule,
        int maxAttempts,
        Duration retention,
        Duration cacheTtl,
        String publicUrl,
        boolean allowHttp,
        List<String> allowedPrivateCidrs,
        String version,
        Duration autoDisableAfter,
        int ingestRateLimit,
        String portalFrameAncestors,
        String operatorWorkspace,
        Duration batchingWindow,
        int maxReceives,
        String portalAccent,
        String portalProductName,
        List<String> egressIps,
        java.util.Set<Integer> localPorts) {

    public static final String VERSION = "0.1.0";
    /**
     * The deliveries queue's maxReceiveCount: a safety net for messages that crash every invocation, far
     * above any delivery's attempts (Signet counts attempts itself, and refreshes a message long before).
     */
    public static final int DEFAULT_MAX_RECEIVES = 100;

    /** A source the portal's CSP frame-ancestors accepts: an origin (wildcard subdomain allowed), a scheme, or 'self'. */
    private static final java.util.regex.Pattern FRAME_SOURCE = java.util.regex.Pattern.compile(
            "'self'|https?:|https?://(\\*\\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?|https?://\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    public static SignetConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static SignetConfig from(Map<String, String> env) {
        RetrySchedule schedule = RetrySchedule.parse(env.getOrDefault("SIGNET_RETRY_SCHEDULE", RetrySchedule.DEFAULT));
        String maxAttempts = env.get("SIGNET_MAX_ATTEMPTS");
        String cidrs = env.getOrDefault("SIGNET_ALLOW_PRIVATE_CIDRS", "");
        return new SignetConfig(
                required(env, "SIGNET_CONFIG_TABLE"),
                required(env, "SIGNET_EVENTS_TABLE"),
                required(env, "SIGNET_DELIVERY_QUEUE_URL"),
                blankToNull(env.get("SIGNET_DEAD_LETTER_QUEUE_URL")),
                blankToNull(env.get("SIGNET_CREDENTIAL_KEY_SECRET_ID")),
                Duration.ofSeconds(positive(env.getOrDefault("SIGNET_CREDENTIAL_KEY_CACHE_SECONDS",
                        Long.toString(dev.signet.core.credentials.CredentialVault.DEFAULT_KEY_CACHE_TTL.toSeconds())),
                        "SIGNET_CREDENTIAL_KEY_CACHE_SECONDS")),
                blankToNull(env.get("SIGNET_ADMIN_KEY")),
                blankToNull(env.get("SIGNET_ADMIN_KEY_SECRET_ID")),
                schedule,
                maxAttempts == null || maxAttempts.isBlank() ? schedule.maxAttempts() : positive(maxAttempts, "SIGNET_MAX_ATTEMPTS"),
                Duration.ofDays(positive(env.getOrDefault("SIGNET_RETENTION_DAYS", "30"), "SIGNET_RETENTION_DAYS")),
                Duration.ofSeconds(positive(env.getOrDefault("SIGNET_CACHE_TTL_SECONDS", "30"), "SIGNET_CACHE_TTL_SECONDS")),
                blankToNull(env.get("SIGNET_PUBLIC_URL")),
                Boolean.parseBoolean(env.getOrDefault("SIGNET_ALLOW_HTTP", "false")),
                cidrs.isBlank() ? List.of() : List.of(cidrs.trim().split("\\s*,\\s*")),
                VERSION,
                period(env.getOrDefault("SIGNET_AUTO_DISABLE_AFTER", "5d"), "SIGNET_AUTO_DISABLE_AFTER"),
                nonNegative(env.getOrDefault("SIGNET_INGEST_RATE_LIMIT", "100"), "SIGNET_INGEST_RATE_LIMIT"),
                frameAncestors(env.getOrDefault("SIGNET_PORTAL_FRAME_ANCESTORS", "")),
                workspaceId(blankToNull(env.get("SIGNET_OPERATOR_WORKSPACE")), "SIGNET_OPERATOR_WORKSPACE"),
                Duration.ofSeconds(nonNegative(env.getOrDefault("SIGNET_BATCHING_WINDOW_SECONDS", "0"), "SIGNET_BATCHING_WINDOW_SECONDS")),
                positive(env.getOrDefault("SIGNET_MAX_RECEIVES", Integer.toString(DEFAULT_MAX_RECEIVES)), "SIGNET_MAX_RECEIVES"),
                accent(env.getOrDefault("SIGNET_PORTAL_ACCENT", "")),
                productName(env.getOrDefault("SIGNET_PORTAL_PRODUCT_NAME", "")),
                egressIps(env.getOrDefault("SIGNET_EGRESS_IPS", "")),
                ports(env.getOrDefault("SIGNET_LOCAL_PORTS", ""), "SIGNET_LOCAL_PORTS"));
    }

    /**
     * The portal's accent colour: {@code #rrggbb}, or null for Signet's own. Nothing else is accepted,
     * so the setting can only ever become one colour value in the portal's stylesheet.
     */
    private static String accent(String v) {
        String t = v.trim();
        if (t.isEmpty()) {
            return null;
        }
        if (!t.matches("#[0-9A-Fa-f]{6}")) {
            throw new IllegalStateException("SIGNET_PORTAL_ACCENT must be a colour written #rrggbb, e.g. #0b7a75");
        }
        return t.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The product name the portal shows above its title, or null. Letters, digits, spaces and
     * {@code . , & ' + _ ( ) ! -} only, 1 to 40 of them: no markup or quote characters can reach the page
     * (it is also escaped where it is put), and the page stays one line wide.
     */
    private static String productName(String v) {
        String t = v.strip();
        if (t.isEmpty()) {
            return null;
        }
        if (!t.matches("[\\p{L}\\p{N} .,&'+_()!-]{1,40}")) {
            throw new IllegalStateException("SIGNET_PORTAL_PRODUCT_NAME must be 1 to 40 letters, digits, spaces "
                    + "or . , & ' + _ ( ) ! - (no quotes, angle brackets or other symbols)");
        }
        return t;
    }

    /**
     * The fixed public addresses deliveries leave from (GET /v1/egress): IPv4 dotted quads or IPv6
     * addresses, separated by commas or spaces; blank means none. Anything else stops the function at
     * start, so the API never shows a receiver an address it cannot allowlist.
     */
    private static List<String> egressIps(String v) {
        List<String> ips = new java.util.ArrayList<>();
        for (String ip : v.trim().split("[\\s,]+")) {
            if (ip.isEmpty()) {
                continue;
            }
            boolean valid;
            if (ip.indexOf(':') >= 0) {
                valid = ip.matches("[0-9A-Fa-f:.]+") && parsesAsAddress(ip);
            } else {
                valid = ip.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
            }
            if (!valid) {
                throw new IllegalStateException("SIGNET_EGRESS_IPS: \"" + ip + "\" is not an IP address such as 203.0.113.7 "
                        + "(comma-separated; template parameter EgressIps)");
            }
            if (!ips.contains(ip)) {
                ips.add(ip);
            }
        }
        return List.copyOf(ips);
    }

    private static boolean parsesAsAddress(String literal) {
        try {
            java.net.InetAddress.ofLiteral(literal); // no DNS: a literal or an exception
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Comma-separated TCP ports (local mode's own: the API and the emulators, which endpoints on loopback
     * must never reach); empty for none.
     */
    private static java.util.Set<Integer> ports(String v, String name) {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        for (String p : v.split(",")) {
            if (p.isBlank()) {
                continue;
            }
            int port = positive(p.trim(), name);
            if (port > 65_535) {
                throw new IllegalStateException(name + " must list TCP ports (1 to 65535)");
            }
            ports.add(port);
        }
        return java.util.Set.copyOf(ports);
    }

    /** A workspace id as the API accepts them, or null. */
    private static String workspaceId(String v, String name) {
        if (v != null && !v.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalStateException(name + " must be a workspace id (1 to 64 of A-Z a-z 0-9 _ -)");
        }
        return v;
    }

    /**
     * The pages allowed to embed the portal in a frame (CSP frame-ancestors): space-separated origins
     * such as {@code https://app.example.com}; blank means none ({@code 'none'}: top-level windows only).
     * Anything else fails at start, so no header can be smuggled through the setting.
     */
    private static String frameAncestors(String v) {
        String t = v.trim();
        if (t.isEmpty() || t.equals("'none'")) {
            return "'none'";
        }
        List<String> sources = List.of(t.split("\\s+"));
        for (String s : sources) {
            if (!FRAME_SOURCE.matcher(s).matches()) {
                throw new IllegalStateException("SIGNET_PORTAL_FRAME_ANCESTORS: \"" + s + "\" is not an origin such as "
                        + "https://app.example.com (space-separated; paths, quotes and ';' are not allowed)");
            }
        }
        return String.join(" ", sources);
    }

    /**
     * A period such as {@code 5d}, {@code 36h}, {@code 90m}, {@code 30s}; {@code off} (or 0) means
     * none (null).
     */
    private static Duration period(String v, String name) {
        String t = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("off") || t.equals("0")) {
            return null;
        }
        var m = java.util.regex.Pattern.compile("([1-9][0-9]{0,6})([smhd])").matcher(t);
        if (!m.matches()) {
            throw new IllegalStateException(name + " must be a period such as 5d, 36h, 90m or 30s, or off");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is required");
        }
        return v;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v;
    }

    private static int nonNegative(String v, String name) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException(name + " must be 0 (off) or a positive whole number");
    }

    private static int positive(String v, String name) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException(name + " must be a positive whole number");
    }
}
