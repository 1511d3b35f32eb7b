package dev.signet.ingest;

import dev.signet.api.ApiResponse;
import dev.signet.core.config.SignetConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 6: a workspace sending faster than SIGNET_INGEST_RATE_LIMIT events per second gets 429 with Retry-After. */
class IngestIsRateLimitedPerWorkspaceTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void theLimitPerSecondIsAdmittedThenA429WithRetryAfter() {
        IngestRateLimit limit = new IngestRateLimit(5, nanos::get);
        for (int i = 0; i < 5; i++) {
            assertThat(limit.refusal("ws_a", 1)).isNull();
        }
        ApiResponse refused = limit.refusal("ws_a", 1);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.headers()).containsEntry("retry-after", "1");
        assertThat(refused.body()).contains("\"code\":\"rate_limited\"").contains("5 events per second");
    }

    @Test
    void workspacesHaveSeparateBudgets() {
        IngestRateLimit limit = new IngestRateLimit(2, nanos::get);
        limit.refusal("ws_a", 2);

        assertThat(limit.refusal("ws_a", 1)).isNotNull();
        assertThat(limit.refusal("ws_b", 1)).isNull();
    }

    @Test
    void theBudgetRefillsOverTime() {
        IngestRateLimit limit = new IngestRateLimit(10, nanos::get);
        limit.refusal("ws_a", 10);
        assertThat(limit.refusal("ws_a", 1)).isNotNull();

        nanos.addAndGet(100_000_000L); // 0.1 s: one event's worth

        assertThat(limit.refusal("ws_a", 1)).isNull();
        assertThat(limit.refusal("ws_a", 1)).isNotNull();
    }

    @Test
    void aBatchTakesOneTokenPerEventAndItsDebtIsWaitedOut() {
        IngestRateLimit limit = new IngestRateLimit(10, nanos::get);
        assertThat(limit.refusal("ws_a", 100)).isNull(); // a full batch is admitted once, then paid back

        ApiResponse refused = limit.refusal("ws_a", 1);
        assertThat(refused.headers().get("retry-after")).isEqualTo("10");
        nanos.addAndGet(10_000_000_000L);
        assertThat(limit.refusal("ws_a", 1)).isNull();
    }

    @Test
    void zeroTurnsItOffAndTheDefaultIs100() {
        IngestRateLimit off = new IngestRateLimit(config(Map.of("SIGNET_INGEST_RATE_LIMIT", "0")).ingestRateLimit(), System::nanoTime);
        for (int i = 0; i < 1_000; i++) {
            assertThat(off.refusal("ws_a", 100)).isNull();
        }
        IngestRateLimit byDefault = new IngestRateLimit(config(Map.of()).ingestRateLimit(), System::nanoTime);
        assertThat(byDefault.refusal("ws_a", 100)).isNull();
        assertThat(byDefault.refusal("ws_a", 1)).isNotNull();
        assertThatThrownBy(() -> config(Map.of("SIGNET_INGEST_RATE_LIMIT", "lots")))
                .hasMessageContaining("SIGNET_INGEST_RATE_LIMIT");
    }

    @Test
    void theIngestRoutesAnswer429BeforeStoringOrQueueingAnything() {
        IngestFixture ingest = new IngestFixture(Map.of("SIGNET_INGEST_RATE_LIMIT", "1"), s -> s);
        ingest.endpoint("ep_all");
        String hundred = IngestFixture.batchOf(java.util.Collections.nCopies(100, IngestFixture.ORDER_COMPLETED).toArray(String[]::new));

        IngestFixture.Reply admitted = ingest.emitBatch(hundred); // runs the bucket 99 events into debt
        IngestFixture.Reply single = ingest.emit(IngestFixture.ORDER_COMPLETED);
        IngestFixture.Reply batch = ingest.emitBatch(IngestFixture.batchOf(IngestFixture.ORDER_COMPLETED), "a-key");

        assertThat(admitted.status()).isEqualTo(202);
        for (IngestFixture.Reply refused : java.util.List.of(single, batch)) {
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.errorCode()).isEqualTo("rate_limited");
            assertThat(Long.parseLong(refused.headers().get("retry-after"))).isPositive();
        }
        assertThat(ingest.stores.events().storedEvents()).hasSize(100);
        assertThat(ingest.stores.queue().enqueued()).hasSize(100);
    }

    private static SignetConfig config(Map<String, String> extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("SIGNET_CONFIG_TABLE", "c", "SIGNET_EVENTS_TABLE", "e",
                "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1:1/q"));
        env.putAll(extra);
        return SignetConfig.from(env);
    }
}
