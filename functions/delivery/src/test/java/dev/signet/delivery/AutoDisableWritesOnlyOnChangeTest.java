package dev.signet.delivery;

import dev.signet.core.retry.AttemptOutcome;
import dev.signet.core.store.EndpointFailureStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The failing streak costs a store call when it starts and when it ends, not one per attempt. */
class AutoDisableWritesOnlyOnChangeTest {
    final List<String> calls = new ArrayList<>();
    Instant stored;
    final EndpointFailureStore store = new EndpointFailureStore() {
        @Override
        public Instant failingSince(String ws, String ep, Instant at) {
            calls.add("failing");
            stored = stored == null ? at : stored;
            return stored;
        }

        @Override
        public void recovered(String ws, String ep) {
            calls.add("recovered");
            stored = null;
        }
    };

    @Test
    void disablesAfterThePeriodWithOneWritePerStateChange() {
        Instant t0 = Instant.parse("2026-04-17T18:22:00Z");
        AutoDisable auto = AutoDisable.of(store, Duration.ofDays(5), Duration.ofDays(30), Clock.fixed(t0, ZoneOffset.UTC));
        var failed = new AttemptOutcome.Failed(null);
        assertThat(auto.observe("ws", "ep", failed, t0)).isEmpty();
        assertThat(auto.observe("ws", "ep", failed, t0.plus(Duration.ofDays(2)))).isEmpty();
        assertThat(auto.observe("ws", "ep", failed, t0.plus(Duration.ofDays(4)))).isEmpty();
        assertThat(calls).containsExactly("failing");
        assertThat(auto.observe("ws", "ep", new AttemptOutcome.Succeeded(), t0.plus(Duration.ofDays(4)))).isEmpty();
        assertThat(auto.observe("ws", "ep", new AttemptOutcome.Succeeded(), t0.plus(Duration.ofDays(4)))).isEmpty();
        assertThat(calls).containsExactly("failing", "recovered");

        Instant t1 = t0.plus(Duration.ofDays(6));
        assertThat(auto.observe("ws", "ep", failed, t1)).isEmpty();
        Optional<String> verdict = auto.observe("ws", "ep", failed, t1.plus(Duration.ofDays(5)));
        assertThat(verdict).hasValueSatisfying(r -> assertThat(r).startsWith("every attempt failed for 5 days (failing since " + t1));
        assertThat(calls).containsExactly("failing", "recovered", "failing");
        assertThat(AutoDisable.off().observe("ws", "ep", failed, t1.plus(Duration.ofDays(50)))).isEmpty();
    }
}
