package dev.signet.api;

import dev.signet.core.store.SecretStore;
import dev.signet.core.config.SignetConfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The deployment's admin key: given directly (local mode) or read from its Secrets Manager secret and
 * kept for a few minutes, so a rotated key takes effect without a redeploy.
 */
public final class AdminKey implements Supplier<String> {
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final SignetConfig config;
    private final SecretStore secrets;
    private final Clock clock;
    private volatile String cached;
    private volatile Instant fetchedAt = Instant.MIN;

    public AdminKey(SignetConfig config, SecretStore secrets, Clock clock) {
        this.config = config;
        this.secrets = secrets;
        this.clock = clock;
    }

    @Override
    public String get() {
        if (config.adminKey() != null) {
            return config.adminKey();
        }
        if (config.adminKeySecretId() == null) {
            return null;
        }
        Instant now = clock.instant();
        if (cached == null || fetchedAt.plus(REFRESH).isBefore(now)) {
            cached = secrets.read(config.adminKeySecretId())
                    .orElseThrow(() -> new IllegalStateException("the admin key secret " + config.adminKeySecretId() + " does not exist"))
                    .trim();
            fetchedAt = now;
        }
        return cached;
    }
}
