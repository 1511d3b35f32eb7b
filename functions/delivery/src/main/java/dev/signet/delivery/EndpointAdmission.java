package dev.signet.delivery;

import dev.signet.core.cache.TtlCache;
import dev.signet.core.ids.Randomness;
import dev.signet.core.log.Log;
import dev.signet.core.store.EndpointSlots;
import dev.signet.core.store.EndpointSlots.Pace;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether a delivery may be sent now, so that one tenant's slow receiver cannot occupy the
 * delivery function: an invocation lasts as long as its slowest request, so every request held open
 * to a slow endpoint holds an invocation. Two limits apply:
 * <ul>
 *   <li>this instance's cap per endpoint ({@link EndpointConcurrency}); a delivery to an endpoint known
 *       to answer fast may wait up to a second for one of its permits, any other is put back at once;</li>
 *   <li>for an endpoint not known to be fast (slow, or not measured yet), one of its shared slots
 *       ({@link EndpointSlots}, held across every instance): as many as make sense for its pace, from
 *       {@link #MAX_SLOTS} for a new endpoint down to 2 for one that hangs until its timeout.</li>
 * </ul>
 * A delivery that gets neither is deferred, unattempted, for about as long as the endpoint takes to
 * answer. The pace each instance measures ({@link EndpointPace}) is shared beside the slots when it
 * changes, so other instances treat a slow endpoint with care before sending to it themselves.
 */
final class EndpointAdmission {
    static final int MAX_SLOTS = 10;
    /** Request-seconds one endpoint may hold open at once: 8 s answers get 10 slots, a 30 s hang gets 3. */
    static final Duration SLOT_BUDGET = Duration.ofSeconds(80);
    static final Duration FAST_WAIT = Duration.ofSeconds(1);
    private static final Duration RECORD_PACE_AT_MOST_EVERY = Duration.ofMinutes(1);
    private static final Duration FULL_FOR = Duration.ofSeconds(1);

    /** Permission to send one request; close it when the request is over. */
    static final class Ticket implements AutoCloseable {
        private final EndpointAdmission admission;
        private final String endpoint;
        private final EndpointConcurrency.Permit permit;
        private final EndpointSlots.Slot slot;
        private Long token;

        private Ticket(EndpointAdmission admission, String endpoint, EndpointConcurrency.Permit permit, EndpointSlots.Slot slot) {
            this.admission = admission;
            this.endpoint = endpoint;
            this.permit = permit;
            this.slot = slot;
        }

        /** The request starts: its time in flight counts towards the endpoint's pace. */
        void sending() {
            token = admission.pace.started(endpoint);
        }

        /** The request is over, taking {@code durationMs}. */
        void answered(long durationMs) {
            if (token != null) {
                admission.pace.finished(endpoint, token, durationMs);
                token = null;
            }
        }

        @Override
        public void close() {
            answered(0);
            permit.close();
            if (slot != null) {
                admission.releaseQuietly(slot);
            }
        }
    }

    /** A ticket, or how long to put the delivery back for. */
    record Decision(Ticket ticket, Duration deferFor) {
    }

    private final EndpointConcurrency local;
    private final EndpointSlots slots;
    private final EndpointPace pace = new EndpointPace();
    private final TtlCache<String, Pace> sharedPace;
    private final Map<String, Instant> paceRecordedAt = new ConcurrentHashMap<>();
    /** The pace this instance last shared per endpoint. */
    private final Map<String, Pace> paceShared = new ConcurrentHashMap<>();
    private final Map<String, Long> fullUntilNanos = new ConcurrentHashMap<>();
    private final Clock clock;

    EndpointAdmission(EndpointConcurrency local, EndpointSlots slots, Duration paceTtl, Clock clock) {
        this.local = local;
        this.slots = slots;
        this.sharedPace = new TtlCache<>(paceTtl, 10_000, clock);
        this.clock = clock;
    }

    int perInstance() {
        return local.perEndpoint();
    }

    /**
     * @param timeout      the endpoint's request timeout (a slot is held at most that long, plus the settling)
     * @param canWaitUpTo  how long this invocation could wait for a permit and still send and settle
     */
    Decision admit(String workspaceId, String endpointId, Duration timeout, Duration hold, Duration canWaitUpTo, int receives) {
        String endpoint = workspaceId + "/" + endpointId;
        Pace known = paceOf(workspaceId, endpointId, endpoint);
        // A brief wait for this instance's permit is worth it only for an endpoint known to answer fast.
        Duration wait = known == Pace.FAST ? min(FAST_WAIT, canWaitUpTo) : Duration.ZERO;
        EndpointConcurrency.Permit permit;
        try {
            permit = local.tryAcquire(endpoint, wait.isNegative() ? Duration.ZERO : wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            permit = null;
        }
        if (permit == null) {
            return new Decision(null, deferral(endpoint, known, timeout, receives));
        }
        if (known == Pace.FAST) {
            return new Decision(new Ticket(this, endpoint, permit, null), null);
        }
        Long full = fullUntilNanos.get(endpoint);
        if (full != null && System.nanoTime() < full) {
            permit.close();
            return new Decision(null, deferral(endpoint, known, timeout, receives));
        }
        EndpointSlots.Slot slot;
        try {
            slot = slots.tryTake(workspaceId, endpointId, slotsFor(endpoint, known, timeout), hold, clock.instant());
        } catch (RuntimeException e) {
            // The shared slots cannot be read: send anyway (this instance's cap still holds) rather than stall.
            Log.warn("endpoint slots unavailable; sending under this instance's cap only",
                    f -> f.put("workspace_id", workspaceId).put("endpoint_id", endpointId).put("error_type", e.getClass().getName()));
            return new Decision(new Ticket(this, endpoint, permit, null), null);
        }
        if (slot == null) {
            // Ask the store again only once a slot may have come free.
            Duration untilFree = deferral(endpoint, known, timeout, 1);
            fullUntilNanos.put(endpoint, System.nanoTime() + Math.max(FULL_FOR.toNanos(), untilFree.toNanos() / 2));
            permit.close();
            return new Decision(null, deferral(endpoint, known, timeout, receives));
        }
        return new Decision(new Ticket(this, endpoint, permit, slot), null);
    }

    /**
     * This instance's measurement if it has one (shared when it changed), else the one another instance
     * shared: the store is read only for an endpoint this instance has not measured yet.
     */
    private Pace paceOf(String workspaceId, String endpointId, String endpoint) {
        Pace measured = pace.measured(endpoint);
        if (measured != null) {
            if (measured != paceShared.get(endpoint)) {
                share(workspaceId, endpointId, endpoint, measured);
            }
            return measured;
        }
        try {
            return sharedPace.get(endpoint, k -> Optional.ofNullable(slots.pace(workspaceId, endpointId))).orElse(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void share(String workspaceId, String endpointId, String endpoint, Pace measured) {
        Instant now = clock.instant();
        Instant last = paceRecordedAt.get(endpoint);
        if (last != null && last.plus(RECORD_PACE_AT_MOST_EVERY).isAfter(now)) {
            return;
        }
        paceRecordedAt.put(endpoint, now);
        try {
            slots.recordPace(workspaceId, endpointId, measured, now);
            paceShared.put(endpoint, measured);
        } catch (RuntimeException e) {
            Log.warn("endpoint pace not shared", f -> f.put("workspace_id", workspaceId).put("endpoint_id", endpointId)
                    .put("error_type", e.getClass().getName()));
        }
    }

    /** Slots an endpoint not known to be fast may hold: {@link #SLOT_BUDGET} divided by its pace, 2 to 10. */
    private int slotsFor(String endpoint, Pace known, Duration timeout) {
        if (known != Pace.SLOW) {
            return MAX_SLOTS;
        }
        Duration took = pace.average(endpoint);
        Duration per = took == null || took.compareTo(timeout) > 0 ? timeout : took;
        long n = (SLOT_BUDGET.toMillis() + per.toMillis() - 1) / Math.max(1, per.toMillis());
        return (int) Math.max(2, Math.min(MAX_SLOTS, n));
    }

    /**
     * How long to put a delivery back: about the time until one of the endpoint's requests ends (its
     * average answer time, or the longest one now in flight, spread over the slots it may hold; at
     * least a second), doubled for every time the message already came back, up to twice the answer
     * time (a backlog comes back about as fast as the endpoint frees slots, never left idle for long),
     * plus up to half again at random, so a backlog spreads out instead of returning all at once.
     */
    private Duration deferral(String endpoint, Pace known, Duration timeout, int receives) {
        Duration took = pace.average(endpoint);
        Duration waited = pace.longestInFlight(endpoint);
        Duration per = took == null || waited != null && waited.compareTo(took) > 0 ? waited : took;
        Duration base = known == Pace.FAST || per == null ? Duration.ofSeconds(1)
                : per.dividedBy(known == Pace.SLOW ? slotsFor(endpoint, known, timeout) : MAX_SLOTS);
        base = base.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : base;
        Duration ceiling = per == null ? Duration.ofSeconds(2) : per.multipliedBy(2);
        ceiling = ceiling.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2)
                : ceiling.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : ceiling;
        Duration backedOff = base.multipliedBy(1L << Math.min(Math.max(receives, 1) - 1, 6));
        backedOff = backedOff.compareTo(ceiling) > 0 ? ceiling : backedOff;
        return backedOff.plusMillis(Randomness.secure().nextLong(backedOff.toMillis() / 2 + 1));
    }

    private void releaseQuietly(EndpointSlots.Slot slot) {
        try {
            slots.release(slot);
        } catch (RuntimeException e) {
            // It expires by itself (the request's timeout plus the settling).
            Log.warn("endpoint slot not released; it expires by itself", f -> f.put("workspace_id", slot.workspaceId())
                    .put("endpoint_id", slot.endpointId()).put("error_type", e.getClass().getName()));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
