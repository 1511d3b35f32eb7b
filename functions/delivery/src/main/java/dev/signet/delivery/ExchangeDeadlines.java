package dev.signet.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounds whole webhook exchanges (connect, TLS, headers, body) by their endpoint's timeout without a
 * timer per request: one sweeper thread wakes every {@link #TICK} and cancels the exchanges whose
 * deadline has passed. Watching is a set insert and remove; a timed wait per request, by contrast,
 * scheduled and cancelled a timer each time, which on two cores cost about 15 % of delivery throughput
 * (BENCHMARKS.md). An exchange ends at most one tick after its deadline.
 */
final class ExchangeDeadlines {
    static final Duration TICK = Duration.ofMillis(50);

    /** One exchange being watched; closing it stops the watch. */
    final class Watch implements AutoCloseable {
        private final CompletableFuture<?> exchange;
        private final long deadlineNanos;
        private volatile boolean expired;

        private Watch(CompletableFuture<?> exchange, long deadlineNanos) {
            this.exchange = exchange;
            this.deadlineNanos = deadlineNanos;
        }

        /** Whether the sweeper cancelled the exchange because its deadline passed. */
        boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            watched.remove(this);
        }
    }

    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private volatile Thread sweeper;

    ExchangeDeadlines(Duration tick) {
        this.tickNanos = tick.toNanos();
    }

    /** Cancels {@code exchange} once {@code timeout} from now has passed, unless the watch is closed first. */
    Watch watch(CompletableFuture<?> exchange, Duration timeout) {
        Watch w = new Watch(exchange, System.nanoTime() + timeout.toNanos());
        watched.add(w);
        if (sweeper == null) {
            startSweeper();
        }
        return w;
    }

    private synchronized void startSweeper() {
        if (sweeper == null) {
            sweeper = Thread.ofPlatform().daemon().name("signet-webhook-deadlines").start(this::sweep);
        }
    }

    private void sweep() {
        while (true) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (Watch w : watched) {
                if (now - w.deadlineNanos >= 0) {
                    w.expired = true;
                    watched.remove(w);
                    w.exchange.cancel(true); // the HTTP client aborts the exchange and closes its connection
                }
            }
        }
    }
}
