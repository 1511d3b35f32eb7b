package dev.signet.management;

import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import static dev.signet.management.ManagementOverMemory.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route that exists, called with a method it does not take, is a 405 whose {@code Allow} header
 * lists the methods it takes; a path that is no route at all stays a 404.
 */
class WrongMethodIsMethodNotAllowedTest {
    private final ManagementOverMemory api = new ManagementOverMemory(MutableClock.at("2026-04-17T18:22:00Z"));

    private void assertNotAllowed(String method, String path, String allow) {
        ManagementOverMemory.Reply r = api.call(method, path, ADMIN, null);
        assertThat(r.status()).as(method + " " + path + ": " + r.body()).isEqualTo(405);
        assertThat(r.headers()).containsEntry("allow", allow);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("method_not_allowed");
        assertThat(r.json().at("/error/message").asText()).contains(method, allow);
    }

    @Test
    void aKnownRouteAnswers405WithTheMethodsItTakes() {
        assertNotAllowed("PUT", "/v1/workspaces/casterly", "GET, DELETE");
        assertNotAllowed("GET", "/v1/workspaces/casterly/sessions", "POST, DELETE");
        assertNotAllowed("PUT", "/v1/workspaces", "POST, GET");
        assertNotAllowed("PUT", "/v1/workspaces/casterly/endpoints/ep_1", "GET, PATCH, DELETE");
        assertNotAllowed("POST", "/portal", "GET");
    }

    @Test
    void anUnknownPathIsStill404() {
        ManagementOverMemory.Reply r = api.call("GET", "/v1/nowhere", ADMIN, null);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.headers()).doesNotContainKey("allow");
    }
}
