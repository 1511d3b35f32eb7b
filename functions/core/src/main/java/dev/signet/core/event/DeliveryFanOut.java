package dev.signet.core.event;

import dev.signet.core.store.DeliveryQueue;
import dev.signet.core.store.NotQueuedException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts delivery jobs in the queue, several calls at once: {@link #JOBS_PER_CALL} jobs per call (one
 * SQS SendMessageBatch) and up to {@link #CALLS_IN_FLIGHT} calls in flight on virtual threads, so a
 * batch of 100 events to 50 endpoints (500 calls) takes about 500 / 16 round trips instead of 500.
 * It reports which jobs are known to be queued, so an interrupted fan-out can be finished later
 * without sending any job twice. After the first failed call, or once the deadline has passed, it
 * starts no further calls: the caller gets what was done and can retry the rest.
 */
final class DeliveryFanOut {
    static final int JOBS_PER_CALL = 10;
    static final int CALLS_IN_FLIGHT = 16;

    private final DeliveryQueue queue;
    private final Clock clock;

    DeliveryFanOut(DeliveryQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    /** What a fan-out achieved: every job queued by now (by index), and the failure that stopped it, if any. */
    record Sent(BitSet queued, RuntimeException failure) {
    }

    /**
     * Sends the jobs whose index is not set in {@code alreadyQueued}; calls start only until
     * {@code deadline}. Does not throw when a call fails: the failure is returned with what was queued.
     */
    Sent send(List<DeliveryJob> jobs, BitSet alreadyQueued, Instant deadline) {
        List<int[]> calls = calls(jobs.size(), alreadyQueued);
        BitSet queued = (BitSet) alreadyQueued.clone();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable worker = () -> {
            int call;
            while (failure.get() == null && (call = next.getAndIncrement()) < calls.size() && !clock.instant().isAfter(deadline)) {
                int[] indexes = calls.get(call);
                List<DeliveryJob> batch = new ArrayList<>(indexes.length);
                for (int i : indexes) {
                    batch.add(jobs.get(i));
                }
                Set<DeliveryJob> notQueued = Set.of();
                try {
                    queue.enqueue(batch);
                } catch (NotQueuedException e) {
                    notQueued = new HashSet<>(e.notQueued());
                    failure.compareAndSet(null, e);
                } catch (RuntimeException e) {
                    notQueued = new HashSet<>(batch);
                    failure.compareAndSet(null, e);
                }
                synchronized (queued) {
                    for (int i : indexes) {
                        if (!notQueued.contains(jobs.get(i))) {
                            queued.set(i);
                        }
                    }
                }
            }
        };
        int workers = Math.min(CALLS_IN_FLIGHT, calls.size());
        if (workers <= 1) {
            worker.run(); // one call (a single event, mostly): no thread to start
        } else {
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int w = 0; w < workers; w++) {
                    threads.execute(worker);
                }
            }
        }
        return new Sent(queued, failure.get());
    }

    /** The indexes of the jobs still to send, in calls of up to {@link #JOBS_PER_CALL}. */
    private static List<int[]> calls(int jobs, BitSet alreadyQueued) {
        List<int[]> calls = new ArrayList<>();
        int[] call = new int[JOBS_PER_CALL];
        int size = 0;
        for (int i = alreadyQueued.nextClearBit(0); i < jobs; i = alreadyQueued.nextClearBit(i + 1)) {
            call[size++] = i;
            if (size == JOBS_PER_CALL) {
                calls.add(call);
                call = new int[JOBS_PER_CALL];
                size = 0;
            }
        }
        if (size > 0) {
            calls.add(Arrays.copyOf(call, size));
        }
        return calls;
    }
}
