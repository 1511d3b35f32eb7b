package dev.signet.it;

import dev.signet.local.ApiClient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the HTTP API: a recover whose window holds more than one request may queue in its time
 * answers with {@code resume_since}; calling again from there until it is absent queues every failed
 * event of the window exactly once. The deliveries are not attempted in between (no pollers), which is
 * when a naive "call again" would queue them twice. The functions' clock moves 10 s at each read while
 * a recover runs, so a request reaches its 20 s budget after two chunks of 50 events.
 */
class RecoverOfALongWindowFollowsResumeSinceTest {
    static final int FAILED_EVENTS = 230;

    @Test
    void everyFailedEventIsQueuedOnceAcrossTheCalls() throws Exception {
        try (LongRecoverWindow window = LongRecoverWindow.open("recover-long", FAILED_EVENTS)) {
            ApiClient api = window.stack().api();
            Instant t = window.since();
            String path = "/v1/workspaces/" + window.workspaceId() + "/endpoints/" + window.endpointId() + "/recover";
            String until = window.until().toString();
            List<Integer> queued = new ArrayList<>();
            List<Instant> resumes = new ArrayList<>();
            Instant since = t;
            while (since != null) {
                assertThat(queued).as("calls").hasSizeLessThan(20);
                String body = "{\"since\":\"" + since + "\",\"until\":\"" + until + "\"}";
                ApiClient.Reply r = window.slowly(() -> api.post(path, window.stack().adminKey(), body));
                assertThat(r.status()).as(r.body()).isEqualTo(202);
                queued.add(r.json().path("queued").asInt());
                since = r.json().has("resume_since") ? Instant.parse(r.json().path("resume_since").asText()) : null;
                if (since != null) {
                    assertThat(since).as("resume_since inside the window, moving forward")
                            .isAfter(resumes.isEmpty() ? t : resumes.getLast()).isBefore(window.until());
                    resumes.add(since);
                }
            }

            // About two chunks of 50 per call (how many depends on how often a request reads the clock).
            assertThat(queued).as("queued per call").hasSizeGreaterThan(1);
            assertThat(queued.subList(0, queued.size() - 1)).as("each call before the last queues at least a chunk")
                    .allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(50));
            assertThat(queued.stream().mapToInt(Integer::intValue).sum()).isEqualTo(FAILED_EVENTS);
            Map<String, Integer> messages = window.queuedPerEvent();
            assertThat(messages).as("one message per failed event").hasSize(FAILED_EVENTS).allSatisfy((evt, n) -> assertThat(n).isOne());
            assertThat(window.delivered()).as("nothing was delivered: no pollers").isEmpty();
        }
    }
}
