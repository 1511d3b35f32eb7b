package dev.signet.it;

import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13: a workspace has at most 50 endpoints, also when many creates race (30 at once at 45
 * endpoints took a workspace to 75 when the limit was a check before the write). The workspace counts
 * its endpoints in the same write as each endpoint, so exactly 5 of the 30 are created; a deleted
 * endpoint frees its place.
 */
class EndpointLimitHoldsUnderConcurrentCreatesTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void thirtyConcurrentCreatesAtFortyFiveEndpointsEndAtFifty() throws Exception {
        Tenant t = signet.tenant("crowded", null);
        ApiClient api = signet.api();
        for (int i = 0; i < 45; i++) {
            t.addEndpoint(api, Tenant.endpointFor("http://127.0.0.1:9/ep" + i));
        }

        List<Integer> statuses = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        try (var pool = Executors.newFixedThreadPool(30)) {
            List<Future<ApiClient.Reply>> creates = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String body = Tenant.endpointFor("http://127.0.0.1:9/race" + i);
                creates.add(pool.submit(() -> {
                    start.await();
                    return new ApiClient(signet.stack().baseUrl()).post("/v1/workspaces/crowded/endpoints", t.sessionToken(), body);
                }));
            }
            start.countDown();
            for (Future<ApiClient.Reply> f : creates) {
                ApiClient.Reply r = f.get();
                statuses.add(r.status());
                if (r.status() == 400) {
                    assertThat(r.json().path("error").path("message").asText()).contains("at most 50 endpoints");
                }
            }
        }

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 400).hasSize(25);
        List<String> ids = new ArrayList<>();
        api.get("/v1/workspaces/crowded/endpoints", t.sessionToken()).json().path("data").forEach(e -> ids.add(e.path("id").asText()));
        assertThat(ids).hasSize(50);

        assertThat(api.delete("/v1/workspaces/crowded/endpoints/" + ids.getFirst(), t.sessionToken()).status()).isEqualTo(204);
        assertThat(api.post("/v1/workspaces/crowded/endpoints", t.sessionToken(), Tenant.endpointFor("http://127.0.0.1:9/again")).status())
                .as("a deleted endpoint frees its place").isEqualTo(201);
        assertThat(api.post("/v1/workspaces/crowded/endpoints", t.sessionToken(), Tenant.endpointFor("http://127.0.0.1:9/over")).status())
                .isEqualTo(400);
        assertThat(api.delete("/v1/workspaces/crowded", signet.adminKey()).status()).as("and the workspace still deletes").isEqualTo(204);
    }
}
