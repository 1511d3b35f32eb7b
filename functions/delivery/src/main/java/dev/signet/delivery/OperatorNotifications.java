package dev.signet.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.event.EventInput;
import dev.signet.core.event.EventIntake;
import dev.signet.core.json.Json;
import dev.signet.core.json.Timestamps;
import dev.signet.core.log.Log;

import java.time.Instant;
import java.util.List;

/**
 * Tells the deployment's operator when a delivery is dead-lettered or an endpoint is disabled, as
 * signed webhooks through the same pipeline: each notification is an event of the operator's own
 * workspace ({@code SIGNET_OPERATOR_WORKSPACE}), stored and fanned out to that workspace's endpoints
 * like any product event, so it is signed, logged, retried and dead-lettered the same way and shows
 * in that workspace's portal and delivery log.
 *
 * <p>Nothing is said about the operator workspace's own deliveries (a failing notification endpoint
 * would otherwise notify about itself without end). A notification that cannot be queued is logged
 * and never fails the delivery it is about.
 */
public final class OperatorNotifications {
    public static final String DEAD_LETTERED = "delivery.dead_lettered";
    public static final String ENDPOINT_DISABLED = "endpoint.disabled";

    private final String operatorWorkspace;
    private final EventIntake intake;

    private OperatorNotifications(String operatorWorkspace, EventIntake intake) {
        this.operatorWorkspace = operatorWorkspace;
        this.intake = intake;
    }

    /** Notifications to {@code operatorWorkspace}'s endpoints; none when it is null. */
    public static OperatorNotifications to(String operatorWorkspace, EventIntake intake) {
        return new OperatorNotifications(operatorWorkspace, operatorWorkspace == null ? null : intake);
    }

    public static OperatorNotifications off() {
        return new OperatorNotifications(null, null);
    }

    /** A delivery's last attempt failed: it now waits in the dead-letter queue for a redrive. */
    void deadLettered(String workspaceId, String endpointId, String eventId, String eventType, int attempts,
                      Integer lastStatus, String lastError, Instant at) {
        ObjectNode payload = Json.object().put("workspace_id", workspaceId).put("endpoint_id", endpointId)
                .put("event_id", eventId).put("event", eventType).put("attempts", attempts);
        if (lastStatus == null) {
            payload.putNull("last_response_status");
        } else {
            payload.put("last_response_status", lastStatus);
        }
        payload.put("last_error", lastError).put("dead_lettered_at", Timestamps.format(at));
        send(workspaceId, DEAD_LETTERED, endpointId, payload);
    }

    /** An endpoint was disabled by Signet (410 Gone, or failing for too long). */
    void endpointDisabled(String workspaceId, String endpointId, String reason, Instant at) {
        send(workspaceId, ENDPOINT_DISABLED, endpointId, Json.object().put("workspace_id", workspaceId)
                .put("endpoint_id", endpointId).put("reason", reason).put("disabled_at", Timestamps.format(at)));
    }

    private void send(String aboutWorkspace, String type, String endpointId, ObjectNode payload) {
        if (operatorWorkspace == null || operatorWorkspace.equals(aboutWorkspace)) {
            return;
        }
        try {
            intake.accept(operatorWorkspace, List.of(new EventInput(type, "endpoint", endpointId, Json.write(payload))));
        } catch (RuntimeException e) {
            Log.error("operator notification not queued", e, f -> f.put("event", type)
                    .put("workspace_id", aboutWorkspace).put("endpoint_id", endpointId));
        }
    }
}
