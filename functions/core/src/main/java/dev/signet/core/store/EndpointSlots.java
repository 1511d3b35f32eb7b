package dev.signet.core.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Request slots for a slow endpoint, shared by every delivery function instance: a cap on how many
 * requests the whole deployment holds open to one endpoint at once, so one tenant's slow receiver
 * cannot occupy the delivery function's concurrency. A slot is held until released or until it
 * expires (an instance that dies holding one cannot leak it).
 */
public interface EndpointSlots {
    /**
     * How fast an endpoint answers, as the deployment last measured it: only an endpoint known to be
     * fast is delivered to without a slot. Shared beside the slots, so an instance that has not sent to
     * the endpoint yet knows it too.
     */
    enum Pace { FAST, SLOW }

    /** A held slot; give it back with {@link #release}. */
    record Slot(String workspaceId, String endpointId, int index, Instant expiresAt) {
    }

    /**
     * Takes one of the endpoint's {@code slots} slots for at most {@code hold}, or returns null if all
     * are taken right now.
     */
    Slot tryTake(String workspaceId, String endpointId, int slots, Duration hold, Instant now);

    /** Gives a slot back (a slot that already expired and was taken by another is left alone). */
    void release(Slot slot);

    /** The endpoint's pace as last recorded, or null if none was (a new endpoint). */
    Pace pace(String workspaceId, String endpointId);

    /** Records the endpoint's pace (written only when an instance finds it changed). */
    void recordPace(String workspaceId, String endpointId, Pace pace, Instant now);
}
