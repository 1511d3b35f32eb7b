package dev.signet.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/workspaces?limit=&cursor=} (admin key): every workspace once, oldest first, page by
 * page; a deleted one is gone from the listing, and bad paging input is a 400 naming the field.
 */
class WorkspacesAreListedOldestFirstTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");

    @Test
    void pagesGiveEveryWorkspaceOnceOldestFirst() {
        ApiClient api = signet.api();
        List<String> created = new ArrayList<>();
        for (String id : List.of("winterfell", "dorne", "pyke", "oldtown", "braavos")) {
            assertThat(api.post("/v1/workspaces", signet.adminKey(), "{\"name\":\"" + id + "\",\"id\":\"" + id + "\"}").status()).isEqualTo(201);
            created.add(id);
        }
        assertThat(api.delete("/v1/workspaces/pyke", signet.adminKey()).status()).isEqualTo(204);
        created.remove("pyke");

        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiClient.Reply page = api.get("/v1/workspaces?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), signet.adminKey());
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode data = page.json().path("data");
            assertThat(data.size()).isLessThanOrEqualTo(2);
            data.forEach(w -> {
                listed.add(w.path("id").asText());
                assertThat(w.path("name").asText()).isEqualTo(w.path("id").asText());
                assertThat(w.has("created_at")).isTrue();
                assertThat(w.has("ingest_key")).isFalse();
            });
            cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(listed).containsExactlyElementsOf(created);
        assertThat(pages).isEqualTo(2);

        ApiClient.Reply all = api.get("/v1/workspaces", signet.adminKey());
        assertThat(all.json().path("next_cursor").isNull()).isTrue();

        for (String[] bad : new String[][] {{"limit=0", "limit"}, {"limit=101", "limit"}, {"limit=x", "limit"}, {"cursor=nope", "cursor"}}) {
            ApiClient.Reply r = api.get("/v1/workspaces?" + bad[0], signet.adminKey());
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.json().path("error").path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
    }
}
