package dev.signet.client;

import dev.signet.client.Transport.Call;

import java.util.List;
import java.util.Objects;

/**
 * A workspace's endpoints as the admin key sees them: read, enable, disable, delete, and their hourly
 * statistics. Customers create
 * and edit endpoints in the portal; an endpoint the admin key disabled stays disabled until the admin
 * key enables it.
 */
public final class Endpoints {
    private final Transport transport;

    Endpoints(Transport transport) {
        this.transport = transport;
    }

    public List<Endpoint> list(String workspaceId) {
        return Wire.list(transport.send(Call.get(Workspaces.path(workspaceId) + "/endpoints")).body(), "data", Endpoint::from);
    }

    public Endpoint get(String workspaceId, String endpointId) {
        return Endpoint.from(transport.send(Call.get(path(workspaceId, endpointId))).body());
    }

    public Endpoint enable(String workspaceId, String endpointId) {
        return setEnabled(workspaceId, endpointId, true);
    }

    public Endpoint disable(String workspaceId, String endpointId) {
        return setEnabled(workspaceId, endpointId, false);
    }

    public void delete(String workspaceId, String endpointId) {
        transport.send(Call.delete(path(workspaceId, endpointId)));
    }

    /** The endpoint's statistics over the last 24 hours. */
    public EndpointStats stats(String workspaceId, String endpointId) {
        return stats(workspaceId, endpointId, EndpointStats.Period.LAST_24_HOURS);
    }

    public EndpointStats stats(String workspaceId, String endpointId, EndpointStats.Period period) {
        Objects.requireNonNull(period, "period");
        return EndpointStats.from(transport.send(Call.get(path(workspaceId, endpointId) + "/stats"
                + Transport.query("period", period.wire()))).body());
    }

    private Endpoint setEnabled(String workspaceId, String endpointId, boolean enabled) {
        // Setting one field to a value is repeatable, so it is retried like a PUT.
        Call call = new Call("PATCH", path(workspaceId, endpointId), Transport.object("enabled", enabled), null, true);
        return Endpoint.from(transport.send(call).body());
    }

    static String path(String workspaceId, String endpointId) {
        return Workspaces.path(workspaceId) + "/endpoints/" + Transport.segment(endpointId);
    }
}
