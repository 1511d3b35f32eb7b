package dev.signet.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A portal session of one workspace: show {@link #portalUrl()} to the customer (a new window or an
 * iframe). The token is a credential; {@link #toString()} leaves it and the URL that carries it out.
 */
public record Session(String token, Instant expiresAt, String portalUrl) {
    static Session from(JsonNode n) {
        return new Session(Wire.text(n, "token"), Wire.instant(n, "expires_at"), Wire.text(n, "portal_url"));
    }

    @Override
    public String toString() {
        return "Session[token=(hidden), expiresAt=" + expiresAt + ", portalUrl=(hidden)]";
    }
}
