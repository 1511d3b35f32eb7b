package dev.signet.core.store;

import dev.signet.core.event.DeliveryJob;

import java.util.List;

/**
 * Thrown by {@link DeliveryQueue#enqueue} when some jobs were not queued, naming them; every other job
 * of that call was. A job whose send failed without an answer (a timeout) is named too, though the
 * queue may have taken it: sent again it arrives twice, with the same {@code webhook-id}.
 */
public final class NotQueuedException extends RuntimeException {
    private final List<DeliveryJob> notQueued;

    public NotQueuedException(String message, List<DeliveryJob> notQueued, Throwable cause) {
        super(message, cause);
        this.notQueued = List.copyOf(notQueued);
    }

    public List<DeliveryJob> notQueued() {
        return notQueued;
    }
}
