package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.EndpointCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.testkit.InMemoryConfigStore;
import dev.signet.testkit.InMemorySecretStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A change that touches both the credentials (Secrets Manager) and the endpoint item (DynamoDB) lands
 * in both or in neither: when the item write fails or loses a race, the old credentials are put back.
 */
class EndpointChangesAreAllOrNothingTest {
    private static final Instant T0 = Instant.parse("2026-04-17T18:22:00Z");
    private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    private final Endpoint current = endpoint(T0, true);
    private final EndpointCredentials before = EndpointCredentials.of(WebhookSecret.generate(), new OutboundAuth.Bearer("old-token"));
    private final EndpointCredentials after = before.withAuth(new OutboundAuth.Bearer("new-token"));
    private final InMemorySecretStore secrets = new InMemorySecretStore();
    private final InMemoryConfigStore endpoints = new InMemoryConfigStore();

    EndpointChangesAreAllOrNothingTest() {
        secrets.put(current.secretId(), before);
        endpoints.put(current);
    }

    @Test
    void bothAreWrittenWhenTheItemWriteSucceeds() {
        Endpoint next = endpoint(T0.plusSeconds(1), true);
        new EndpointChanges(endpoints, secrets, clock).save(current, next, before, after);

        assertThat(secrets.get(current.secretId())).contains(after);
        assertThat(endpoints.get("casterly", "ep_1")).contains(next);
    }

    @Test
    void theOldCredentialsComeBackWhenTheItemWriteFails() {
        endpoints.faults().failAlways("replace", () -> new IllegalStateException("DynamoDB is unreachable"));

        assertThatThrownBy(() -> new EndpointChanges(endpoints, secrets, clock).save(current, endpoint(T0.plusSeconds(1), true), before, after))
                .hasMessageContaining("unreachable");
        assertThat(secrets.get(current.secretId())).contains(before);
        assertThat(endpoints.get("casterly", "ep_1")).contains(current);
    }

    @Test
    void aConcurrentChangeIsAConflictAndLeavesTheOldCredentials() {
        Endpoint changedMeanwhile = endpoint(T0.plusSeconds(5), false);
        endpoints.put(changedMeanwhile);

        assertThatThrownBy(() -> new EndpointChanges(endpoints, secrets, clock).save(current, endpoint(T0.plusSeconds(1), true), before, after))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
        assertThat(secrets.get(current.secretId())).contains(before);
        assertThat(endpoints.get("casterly", "ep_1")).contains(changedMeanwhile);
    }

    @Test
    void anEndpointDeletedMeanwhileLeavesNoCredentialsBehind() {
        endpoints.delete("casterly", "ep_1");
        secrets.delete(current.secretId());

        assertThatThrownBy(() -> new EndpointChanges(endpoints, secrets, clock).save(current, endpoint(T0.plusSeconds(1), true), before, after))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
        assertThat(secrets.get(current.secretId())).isEmpty();
    }

    @Test
    void updatedAtStrictlyIncreasesEvenWithinOneSecond() {
        EndpointChanges changes = new EndpointChanges(endpoints, secrets, clock);
        assertThat(changes.updatedAt(endpoint(T0.minusSeconds(30), true))).isEqualTo(T0);
        assertThat(changes.updatedAt(endpoint(T0, true))).isEqualTo(T0.plusSeconds(1));
        assertThat(changes.updatedAt(endpoint(T0.plusMillis(1500), true))).isEqualTo(T0.plusSeconds(2));
    }

    private static Endpoint endpoint(Instant updatedAt, boolean enabled) {
        return new Endpoint("ep_1", "casterly", "https://hooks.example.com/signet", "", "POST", Endpoint.PayloadFormat.ENVELOPE,
                List.of(), Map.of(), Endpoint.AuthType.BEARER, 15, enabled, enabled ? null : "disabled by the workspace",
                "whsec_\u2026abcd", "signet/endpoints/casterly/ep_1", T0.minusSeconds(60), updatedAt);
    }
}
