package dev.signet.delivery;

import dev.signet.core.event.DeliveryJob;
import dev.signet.core.log.Log;
import dev.signet.core.log.Metrics;
import dev.signet.core.retry.AttemptOutcome;
import dev.signet.core.store.EndpointStore;

import java.time.Instant;

/**
 * What an attempt's outcome does to its endpoint and who hears of it: a failing streak long enough
 * (auto-disable) or a 410 disables the endpoint, once however many deliveries see it at the same time,
 * and the operator is told; a dead-lettered delivery is reported to the operator. None of this decides
 * the delivery itself, so a store error here is logged and the next attempt looks again.
 */
final class EndpointReactions {
    private final EndpointStore endpoints;
    private final AutoDisable autoDisable;
    private final OperatorNotifications notifications;

    EndpointReactions(EndpointStore endpoints, AutoDisable autoDisable, OperatorNotifications notifications) {
        this.endpoints = endpoints;
        this.autoDisable = autoDisable;
        this.notifications = notifications;
    }

    /**
     * The outcome of an attempt counts towards (or ends) the endpoint's failing streak.
     *
     * @param invalidate drops the endpoint from the worker's cache once it was disabled
     */
    void observe(DeliveryJob job, AttemptOutcome outcome, Instant now, Runnable invalidate) {
        try {
            autoDisable.observe(job.workspaceId(), job.endpointId(), outcome, now)
                    .ifPresent(reason -> disable(job, reason, "failing", now, invalidate));
        } catch (RuntimeException e) {
            Log.warn("failing streak not updated", f -> f.put("workspace_id", job.workspaceId())
                    .put("endpoint_id", job.endpointId()).put("error_type", e.getClass().getName()));
        }
    }

    void gone(DeliveryJob job, Instant now, Runnable invalidate) {
        disable(job, "receiver answered 410 Gone", "gone", now, invalidate);
    }

    void deadLettered(DeliveryJob job, Integer lastStatus, String lastError, Instant now) {
        notifications.deadLettered(job.workspaceId(), job.endpointId(), job.eventId(), job.eventType(),
                job.progress().attempt(), lastStatus, lastError, now);
    }

    /**
     * Disables the job's endpoint; of concurrent deliveries doing so, only the one that actually
     * disabled it counts the metric and notifies the operator.
     */
    private void disable(DeliveryJob job, String reason, String cause, Instant now, Runnable invalidate) {
        boolean disabled;
        try {
            disabled = endpoints.disableIfEnabled(job.workspaceId(), job.endpointId(), reason, now);
        } catch (RuntimeException e) {
            Log.warn("endpoint could not be disabled", f -> f.put("workspace_id", job.workspaceId())
                    .put("endpoint_id", job.endpointId()).put("error_type", e.getClass().getName()));
            return;
        }
        invalidate.run();
        if (!disabled) {
            return;
        }
        Log.warn("endpoint disabled", f -> f.put("workspace_id", job.workspaceId())
                .put("endpoint_id", job.endpointId()).put("reason", reason));
        Metrics.emit("delivery", f -> f.put("workspace_id", job.workspaceId()).put("endpoint_id", job.endpointId())
                .put("reason", cause), Metrics.count("EndpointsDisabled", 1));
        notifications.endpointDisabled(job.workspaceId(), job.endpointId(), reason, now);
    }
}
