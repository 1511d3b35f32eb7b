package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.endpoint.StoredCredentials;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.testkit.InMemoryStores;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An endpoint's credentials are sealed in its item, so a change of credentials and of the item is one
 * conditional write: it lands whole, or (a failed write, a concurrent change, a deletion) not at all,
 * and the endpoint keeps opening to the credentials it had.
 */
class EndpointChangesAreOneConditionalWriteTest {
    private static final Instant T0 = Instant.parse("2026-04-17T18:22:00Z");
    private static final String GENERATION = "01KQ8ZJ2V7G4M6XTB3C5N9PD0R";
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final InMemoryStores stores = InMemoryStores.create();
    private final EndpointChanges changes = new EndpointChanges(stores.config(), stores.vault(clock), clock);
    private final EndpointCredentials before = EndpointCredentials.of(WebhookSecret.generate(), new OutboundAuth.Bearer("old-token"));
    private final Endpoint current = endpoint(T0, true, seal(before));

    EndpointChangesAreOneConditionalWriteTest() {
        stores.config().put(current);
    }

    @Test
    void theNewCredentialsAndTheItemLandTogether() {
        EndpointCredentials after = before.withAuth(new OutboundAuth.Bearer("new-token"));
        Endpoint next = endpoint(T0.plusSeconds(1), true, changes.seal(current, GENERATION, after, before.current().hint()));
        changes.save(current, next);

        Endpoint stored = stores.config().get("casterly", "ep_1").orElseThrow();
        assertThat(stored).isEqualTo(next);
        assertThat(changes.credentials(stored, GENERATION).auth()).isEqualTo(new OutboundAuth.Bearer("new-token"));
    }

    @Test
    void aFailedWriteLeavesTheOldCredentials() {
        stores.config().faults().failAlways("replace", () -> new IllegalStateException("DynamoDB is unreachable"));
        Endpoint next = endpoint(T0.plusSeconds(1), true, seal(before.withAuth(new OutboundAuth.Bearer("new-token"))));

        assertThatThrownBy(() -> changes.save(current, next)).hasMessageContaining("unreachable");
        assertThat(changes.credentials(stores.config().get("casterly", "ep_1").orElseThrow(), GENERATION)).isEqualTo(before);
    }

    @Test
    void aConcurrentChangeIsAConflictAndWritesNothing() {
        Endpoint changedMeanwhile = endpoint(T0.plusSeconds(5), false, current.credentials());
        stores.config().put(changedMeanwhile);

        assertThatThrownBy(() -> changes.save(current, endpoint(T0.plusSeconds(1), true, seal(before.withAuth(new OutboundAuth.None())))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(stores.config().get("casterly", "ep_1")).contains(changedMeanwhile);
    }

    @Test
    void anEndpointDeletedMeanwhileIsNotFoundAndNotWrittenAgain() {
        stores.config().delete("casterly", "ep_1");

        assertThatThrownBy(() -> changes.save(current, endpoint(T0.plusSeconds(1), true, current.credentials())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(stores.config().get("casterly", "ep_1")).isEmpty();
    }

    @Test
    void updatedAtStrictlyIncreasesEvenWithinOneSecond() {
        assertThat(changes.updatedAt(endpoint(T0.minusSeconds(30), true, current.credentials()))).isEqualTo(T0);
        assertThat(changes.updatedAt(endpoint(T0, true, current.credentials()))).isEqualTo(T0.plusSeconds(1));
        assertThat(changes.updatedAt(endpoint(T0.plusMillis(1500), true, current.credentials()))).isEqualTo(T0.plusSeconds(2));
    }

    private StoredCredentials seal(EndpointCredentials credentials) {
        return stores.seal("casterly", GENERATION, "ep_1", credentials);
    }

    private static Endpoint endpoint(Instant updatedAt, boolean enabled, StoredCredentials credentials) {
        return new Endpoint("ep_1", "casterly", "https://hooks.example.com/signet", "", "POST", Endpoint.PayloadFormat.ENVELOPE,
                List.of(), Map.of(), Endpoint.AuthType.BEARER, 15, enabled, enabled ? null : "disabled by the workspace",
                credentials, T0.minusSeconds(60), updatedAt);
    }
}
