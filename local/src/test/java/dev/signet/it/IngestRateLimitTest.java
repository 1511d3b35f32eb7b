package dev.signet.it;

import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Over SIGNET_INGEST_RATE_LIMIT events per second a workspace gets 429 rate_limited with Retry-After; others are unaffected. */
class IngestRateLimitTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s", Map.of("SIGNET_INGEST_RATE_LIMIT", "3"));

    @Test
    void aBurstOverTheLimitIsRefusedWith429AndRetryAfter() {
        Tenant busy = signet.tenant("rate-busy", null);
        Tenant quiet = signet.tenant("rate-quiet", null);
        List<Integer> statuses = new ArrayList<>();
        ApiClient.Reply refused = null;
        for (int i = 0; i < 10; i++) {
            ApiClient.Reply r = busy.emit(signet.api(), Tenant.SEED_EVENT);
            statuses.add(r.status());
            if (r.status() == 429) {
                refused = r;
            }
        }
        assertThat(statuses).contains(202).contains(429);
        assertThat(refused).isNotNull();
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("rate_limited");
        assertThat(refused.header("retry-after")).isNotBlank();
        assertThat(quiet.emit(signet.api(), Tenant.SEED_EVENT).status()).as("another workspace is not limited").isEqualTo(202);
    }
}
