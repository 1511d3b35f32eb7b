package dev.signet.it;

import dev.signet.core.aws.Stores;
import dev.signet.core.store.IdempotencyStore;
import dev.signet.core.store.IdempotencyStore.Claim;
import dev.signet.testkit.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Idempotency-Key records on DynamoDB (moto): a key is claimed once; a request that failed
 * releases it with a checkpoint that only a retry of the same request takes over; a crashed request's
 * lock lapses after a minute; a finished request is replayed; another request under the key is a
 * conflict for 24 hours, after which the key is new.
 */
class IdempotencyRecordsKeepACheckpointTest {
    @RegisterExtension
    static final Signet signet = new Signet("1s");
    private static int keys;

    private final MutableClock clock = new MutableClock(Instant.now());
    private IdempotencyStore records;
    private String key;

    @BeforeEach
    void setUp() {
        records = Stores.from(signet.stack().config(), signet.stack().clients(), clock).idempotency();
        key = "key-hash-" + (++keys);
    }

    @Test
    void aReleasedKeyIsTakenOverWithItsCheckpointByTheSameRequestOnly() {
        assertThat(records.claim("casterly", "", key, "request-a", "planned")).isEqualTo(new Claim.Claimed("planned"));
        assertThat(records.claim("casterly", "", key, "request-a", "planned again")).isEqualTo(new Claim.InProgress());
        assertThat(records.claim("casterly", "", key, "request-b", "other")).isEqualTo(new Claim.Conflict());

        records.release("casterly", "", key, "half done");

        assertThat(records.claim("casterly", "", key, "request-b", "other")).isEqualTo(new Claim.Conflict());
        assertThat(records.claim("casterly", "", key, "request-a", "planned again")).isEqualTo(new Claim.Claimed("half done"));
        assertThat(records.claim("casterly", "", key, "request-a", "planned again")).isEqualTo(new Claim.InProgress());
        assertThat(records.claim("winterfell", "", key, "request-b", "theirs")).as("keys are per workspace").isEqualTo(new Claim.Claimed("theirs"));
        assertThat(records.claim("casterly", "01KQ8ZJ2V7G4M6XTB3C5N9PD0R", key, "request-b", "new owner"))
                .as("and per generation: a workspace created again under the id never meets the old keys")
                .isEqualTo(new Claim.Claimed("new owner"));
    }

    @Test
    void aFinishedRequestIsReplayedAndItsKeyIsNewAfter24Hours() {
        records.claim("casterly", "", key, "request-a", "planned");
        records.complete("casterly", "", key, 202, "{\"id\":\"evt_1\",\"deliveries\":2}");

        assertThat(records.claim("casterly", "", key, "request-a", "planned")).isEqualTo(new Claim.Replay(202, "{\"id\":\"evt_1\",\"deliveries\":2}"));
        assertThat(records.claim("casterly", "", key, "request-b", "other")).isEqualTo(new Claim.Conflict());

        clock.advance(Duration.ofHours(24).plusMinutes(1));

        assertThat(records.claim("casterly", "", key, "request-b", "fresh")).isEqualTo(new Claim.Claimed("fresh"));
    }

    @Test
    void aCrashedRequestsLockLapsesAfterAMinuteAndItsRetryResumesFromTheClaim() {
        records.claim("casterly", "", key, "request-a", "planned");

        clock.advance(Duration.ofSeconds(30));
        assertThat(records.claim("casterly", "", key, "request-a", "planned again")).isEqualTo(new Claim.InProgress());

        clock.advance(Duration.ofSeconds(35));
        assertThat(records.claim("casterly", "", key, "request-b", "other")).isEqualTo(new Claim.Conflict());
        assertThat(records.claim("casterly", "", key, "request-a", "planned again")).isEqualTo(new Claim.Claimed("planned"));
    }
}
