package dev.signet.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sweeper cancels exactly the exchanges whose deadline passed, and leaves finished ones alone. */
class ExchangeDeadlinesTest {
    private final ExchangeDeadlines deadlines = new ExchangeDeadlines(Duration.ofMillis(10));

    @Test
    void anExchangePastItsDeadlineIsCancelledAndMarkedExpired() {
        CompletableFuture<String> exchange = new CompletableFuture<>();
        long started = System.nanoTime();
        try (ExchangeDeadlines.Watch watch = deadlines.watch(exchange, Duration.ofMillis(200))) {
            assertThatThrownBy(() -> exchange.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(200)).isLessThan(Duration.ofSeconds(2));
            assertThat(watch.expired()).isTrue();
        }
    }

    @Test
    void aClosedWatchNeverCancelsItsExchange() throws Exception {
        CompletableFuture<String> exchange = new CompletableFuture<>();
        ExchangeDeadlines.Watch watch = deadlines.watch(exchange, Duration.ofMillis(50));
        watch.close();
        Thread.sleep(200);
        assertThat(exchange.isCancelled()).isFalse();
        assertThat(watch.expired()).isFalse();
    }

    @Test
    void onlyTheOverdueOfManyAreCancelled() throws Exception {
        List<CompletableFuture<String>> soon = new ArrayList<>();
        List<CompletableFuture<String>> later = new ArrayList<>();
        List<ExchangeDeadlines.Watch> watches = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            CompletableFuture<String> s = new CompletableFuture<>();
            CompletableFuture<String> l = new CompletableFuture<>();
            soon.add(s);
            later.add(l);
            watches.add(deadlines.watch(s, Duration.ofMillis(50)));
            watches.add(deadlines.watch(l, Duration.ofSeconds(60)));
        }
        Thread.sleep(500);
        assertThat(soon).allSatisfy(f -> assertThat(f.isCancelled()).isTrue());
        assertThat(later).allSatisfy(f -> assertThat(f.isDone()).isFalse());
        watches.forEach(ExchangeDeadlines.Watch::close);
    }
}
