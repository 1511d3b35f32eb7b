package dev.signet.management;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.api.ApiResponse;
import dev.signet.api.Principal;
import dev.signet.core.json.Json;

import java.util.List;

/**
 * {@code GET /v1/egress}: the fixed public addresses deliveries leave from, for receivers that allowlist
 * senders (README.md, "Static egress addresses"). They come from the deployment's configuration
 * ({@code SIGNET_EGRESS_IPS}: the stack's NAT addresses, or the operator's own), not from a lookup.
 */
final class EgressApi {
    static final String PATH = "/v1/egress";

    private final List<String> ips;

    EgressApi(List<String> ips) {
        this.ips = List.copyOf(ips);
    }

    /** The admin key or a session of any workspace; an ingest key only sends events. */
    ApiResponse addresses(Principal caller) {
        Access.adminOrAnySession(caller);
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("ips");
        ips.forEach(list::add);
        return ApiResponse.json(200, body);
    }
}
