package dev.signet.client;

/**
 * Which attempts of the delivery log to list: all by default, narrowed by endpoint, event or
 * status ({@code succeeded}, {@code failed}); {@code limit} is the page size (null: the server's 50).
 *
 * <pre>{@code AttemptQuery.all().endpoint("ep_…").status("failed").limit(20)}</pre>
 */
public record AttemptQuery(String endpointId, String eventId, String status, Integer limit) {
    public static AttemptQuery all() {
        return new AttemptQuery(null, null, null, null);
    }

    public AttemptQuery endpoint(String endpointId) {
        return new AttemptQuery(endpointId, eventId, status, limit);
    }

    public AttemptQuery event(String eventId) {
        return new AttemptQuery(endpointId, eventId, status, limit);
    }

    public AttemptQuery status(String status) {
        return new AttemptQuery(endpointId, eventId, status, limit);
    }

    public AttemptQuery limit(int limit) {
        return new AttemptQuery(endpointId, eventId, status, limit);
    }

    String query(String cursor) {
        return Transport.query("endpoint_id", endpointId, "event_id", eventId, "status", status, "limit", limit, "cursor", cursor);
    }
}
