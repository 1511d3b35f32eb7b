package dev.signet.delivery;

import dev.signet.core.retry.AttemptOutcome;
import dev.signet.core.store.EndpointFailureStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Disables an endpoint whose every attempt has failed for {@code SIGNET_AUTO_DISABLE_AFTER} (5 days by
 * default, as Svix): the first failure since the last success is stored on the endpoint item
 * ({@code failing_since}); a success removes it. Each instance remembers what it last wrote or read
 * for an endpoint for the config cache's TTL, so a store write happens only when the state changes
 * (and at most once per TTL per endpoint to confirm it), not on every attempt.
 */
public final class AutoDisable {
    private static final int MAX_ENTRIES = 10_000;

    /** What this instance knows: failing since a time, or (null) not failing; as of {@code seenAt}. */
    private record State(Instant failingSince, Instant seenAt) {
    }

    private final EndpointFailureStore store;
    private final Duration after;
    private final Duration stateTtl;
    private final Clock clock;
    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    private AutoDisable(EndpointFailureStore store, Duration after, Duration stateTtl, Clock clock) {
        this.store = store;
        this.after = after;
        this.stateTtl = stateTtl;
        this.clock = clock;
    }

    /** @param after null: never disable automatically */
    public static AutoDisable of(EndpointFailureStore store, Duration after, Duration stateTtl, Clock clock) {
        return after == null ? off() : new AutoDisable(store, after, stateTtl, clock);
    }

    public static AutoDisable off() {
        return new AutoDisable(null, null, Duration.ZERO, Clock.systemUTC());
    }

    /**
     * Records an attempt's outcome; returns the reason to disable the endpoint with when its failing
     * streak has now lasted the whole period.
     */
    Optional<String> observe(String workspaceId, String endpointId, AttemptOutcome outcome, Instant now) {
        if (store == null) {
            return Optional.empty();
        }
        String key = workspaceId + "/" + endpointId;
        State known = states.get(key);
        boolean fresh = known != null && known.seenAt().plus(stateTtl).isAfter(clock.instant());
        switch (outcome) {
            case AttemptOutcome.Succeeded s -> {
                if (!(fresh && known.failingSince() == null)) {
                    store.recovered(workspaceId, endpointId);
                    remember(key, null);
                }
                return Optional.empty();
            }
            case AttemptOutcome.Failed f -> {
                Instant since = fresh && known.failingSince() != null ? known.failingSince()
                        : store.failingSince(workspaceId, endpointId, now);
                if (since == null) {
                    return Optional.empty(); // deleted meanwhile
                }
                remember(key, since);
                if (Duration.between(since, now).compareTo(after) >= 0) {
                    states.remove(key);
                    return Optional.of("every attempt failed for " + human(after) + " (failing since " + since + ")");
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty(); // abandoned or 410: not a verdict on the endpoint's health
            }
        }
    }

    private void remember(String key, Instant failingSince) {
        if (states.size() >= MAX_ENTRIES) {
            states.clear();
        }
        states.put(key, new State(failingSince, clock.instant()));
    }

    static String human(Duration d) {
        if (d.toSeconds() % 86_400 == 0) {
            return d.toDays() + (d.toDays() == 1 ? " day" : " days");
        }
        if (d.toSeconds() % 3600 == 0) {
            return d.toHours() + " h";
        }
        if (d.toSeconds() % 60 == 0) {
            return d.toMinutes() + " min";
        }
        return d.toSeconds() + " s";
    }
}
