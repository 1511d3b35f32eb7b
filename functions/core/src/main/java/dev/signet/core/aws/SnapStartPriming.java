package dev.signet.core.aws;

import dev.signet.core.ids.Randomness;
import dev.signet.core.log.Log;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * A function's SnapStart priming hook: before the snapshot it runs {@link #prime()} (the function's own
 * code on {@link PrimingClients}, which never connect); after a restore there is nothing to renew,
 * because priming keeps no connection, id or random state.
 */
public abstract class SnapStartPriming implements Resource {

    /** Registers the hook with the runtime; the caller keeps the returned reference (org.crac holds it weakly). */
    public static <T extends SnapStartPriming> T register(T priming) {
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** @return the calls the canned AWS clients answered (none reached AWS) */
    protected abstract int prime();

    /**
     * Runs {@link #prime()} and checks its promise: were it to create the random source, every copy
     * restored from the snapshot would share its state, so that is refused.
     *
     * @return the calls the canned AWS clients answered
     * @throws IllegalStateException if priming created the random source
     */
    public final int primeChecked() {
        boolean before = Randomness.created();
        // The primed requests' log lines are not requests anyone made; their ids and keys are throwaway.
        Log.redirect(new PrintStream(OutputStream.nullOutputStream()));
        int calls;
        try {
            calls = Randomness.forPriming(this::prime);
        } finally {
            Log.redirect(System.out);
        }
        if (!before && Randomness.created()) {
            throw new IllegalStateException(getClass().getSimpleName() + " created the random source before the snapshot");
        }
        return calls;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        primeChecked();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to renew: priming kept no connection, id or random state
    }
}
