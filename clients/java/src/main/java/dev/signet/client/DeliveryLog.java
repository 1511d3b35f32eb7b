package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.client.Transport.Call;

import java.time.Instant;
import java.util.Objects;

/** The delivery log of a workspace, its events, and sending them again (retry, recover). */
public final class DeliveryLog {
    private final Transport transport;

    DeliveryLog(Transport transport) {
        this.transport = transport;
    }

    /** One page of attempts, newest first; pass the previous page's cursor, with the same query, for the next. */
    public Page<Attempt> attempts(String workspaceId, AttemptQuery query, String cursor) {
        return Wire.page(transport.send(Call.get(Workspaces.path(workspaceId) + "/attempts" + query.query(cursor))).body(),
                Attempt::from);
    }

    /** Every page of attempts matching the query, newest first, fetched as you iterate. */
    public Pages<Attempt> attempts(String workspaceId, AttemptQuery query) {
        Objects.requireNonNull(query, "query");
        return new Pages<>(cursor -> attempts(workspaceId, query, cursor));
    }

    public EventDetail event(String workspaceId, String eventId) {
        return EventDetail.from(transport.send(Call.get(eventPath(workspaceId, eventId))).body());
    }

    /** Queues the event again to every endpoint it went to that still exists and is enabled; returns how many. */
    public int retry(String workspaceId, String eventId) {
        return retry(workspaceId, eventId, null);
    }

    /** Queues the event again to one endpoint it went to (404 if it did not, 409 if it is disabled). */
    public int retry(String workspaceId, String eventId, String endpointId) {
        JsonNode answer = transport.send(Call.post(eventPath(workspaceId, eventId) + "/retry",
                Transport.object("endpoint_id", endpointId))).body();
        return (int) Wire.number(answer, "queued");
    }

    /**
     * Queues again every event whose delivery to the endpoint failed in {@code [since, until]}
     * ({@code until} null: now), once each. When one request cannot queue the whole window the
     * server answers with {@code resume_since}; this follows it until the window is done.
     */
    public Recovery recover(String workspaceId, String endpointId, Instant since, Instant until) {
        Objects.requireNonNull(since, "since");
        String path = Endpoints.path(workspaceId, endpointId) + "/recover";
        int queued = 0;
        int requests = 0;
        Instant from = since;
        while (true) {
            JsonNode answer = transport.send(Call.post(path, Transport.object("since", from.toString(),
                    "until", until == null ? null : until.toString()))).body();
            requests++;
            queued += (int) Wire.number(answer, "queued");
            Instant resume = Wire.instant(answer, "resume_since");
            if (resume == null) {
                return new Recovery(queued, requests);
            }
            if (!resume.isAfter(from)) {
                // A server that does not move forward would keep us here for ever.
                throw new SignetConnectionException("recover answered resume_since " + resume + ", not later than since "
                        + from + "; stopped after queuing " + queued, null);
            }
            from = resume;
        }
    }

    private static String eventPath(String workspaceId, String eventId) {
        return Workspaces.path(workspaceId) + "/events/" + Transport.segment(eventId);
    }
}
