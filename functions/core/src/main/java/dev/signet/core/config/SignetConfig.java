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
        String secretPrefix,
        String adminKey,
        String adminKeySecretId,
        RetrySchedule retrySchedule,
        int maxAttempts,
        Duration retention,
        Duration cacheTtl,
        String publicUrl,
        boolean allowHttp,
        List<String> allowedPrivateCidrs,
        String version) {

    public static final String VERSION = "0.1.0";

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
                env.getOrDefault("SIGNET_SECRET_PREFIX", "signet"),
                blankToNull(env.get("SIGNET_ADMIN_KEY")),
                blankToNull(env.get("SIGNET_ADMIN_KEY_SECRET_ID")),
                schedule,
                maxAttempts == null || maxAttempts.isBlank() ? schedule.maxAttempts() : positive(maxAttempts, "SIGNET_MAX_ATTEMPTS"),
                Duration.ofDays(positive(env.getOrDefault("SIGNET_RETENTION_DAYS", "30"), "SIGNET_RETENTION_DAYS")),
                Duration.ofSeconds(positive(env.getOrDefault("SIGNET_CACHE_TTL_SECONDS", "30"), "SIGNET_CACHE_TTL_SECONDS")),
                blankToNull(env.get("SIGNET_PUBLIC_URL")),
                Boolean.parseBoolean(env.getOrDefault("SIGNET_ALLOW_HTTP", "false")),
                cidrs.isBlank() ? List.of() : List.of(cidrs.trim().split("\\s*,\\s*")),
                VERSION);
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

    /** The Secrets Manager name of an endpoint's credentials. */
    public String endpointSecretId(String workspaceId, String endpointId) {
        return secretPrefix + "/endpoints/" + workspaceId + "/" + endpointId;
    }
}
