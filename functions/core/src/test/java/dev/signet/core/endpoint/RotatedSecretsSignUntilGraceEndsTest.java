package dev.signet.core.endpoint;

import dev.signet.core.signing.WebhookSecret;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A rotated-out secret signs alongside the new one until its grace period ends (README, "What a delivery looks like"; openapi.yaml, endpoints). */
class RotatedSecretsSignUntilGraceEndsTest {
    private static final Instant T0 = Instant.parse("2026-04-17T18:22:00Z");
    private final WebhookSecret first = WebhookSecret.generate();
    private final WebhookSecret second = WebhookSecret.generate();
    private final WebhookSecret third = WebhookSecret.generate();
    private final OutboundAuth auth = new OutboundAuth.Bearer("tok_kept");

    @Test
    void theOldSecretSignsUntilNotAfterAndNotAtIt() {
        EndpointCredentials c = EndpointCredentials.of(first, auth).rotate(second, T0, Duration.ofHours(24));

        assertThat(c.current()).isEqualTo(second);
        assertThat(c.signingKeys()).extracting(EndpointCredentials.SigningKey::notAfter)
                .containsExactly(null, T0.plus(Duration.ofHours(24)));
        assertThat(c.secretsValidAt(T0)).containsExactly(second, first);
        assertThat(c.secretsValidAt(T0.plus(Duration.ofHours(24)).minusNanos(1))).containsExactly(second, first);
        assertThat(c.secretsValidAt(T0.plus(Duration.ofHours(24)))).containsExactly(second);
        assertThat(c.auth()).as("rotation keeps the auth credential").isEqualTo(auth);
    }

    @Test
    void aGraceOfZeroRetiresTheOldSecretAtOnce() {
        EndpointCredentials c = EndpointCredentials.of(first, auth).rotate(second, T0, Duration.ZERO);

        assertThat(c.signingKeys()).hasSize(1);
        assertThat(c.secretsValidAt(T0)).containsExactly(second);
    }

    @Test
    void secretsWhoseGraceEndedAreDroppedAtTheNextRotation() {
        EndpointCredentials c = EndpointCredentials.of(first, auth)
                .rotate(second, T0, Duration.ofSeconds(10))
                .rotate(third, T0.plusSeconds(60), Duration.ofSeconds(30));

        assertThat(c.signingKeys()).extracting(EndpointCredentials.SigningKey::secret).containsExactly(third, second);
        assertThat(c.secretsValidAt(T0.plusSeconds(61))).containsExactly(third, second);
        assertThat(c.secretsValidAt(T0.plusSeconds(90))).containsExactly(third);
    }

    @Test
    void aNewRotationNeverExtendsAnOlderSecretsGraceAndGraceZeroEndsThemAll() {
        EndpointCredentials during = EndpointCredentials.of(first, auth)
                .rotate(second, T0, Duration.ofSeconds(100))
                .rotate(third, T0.plusSeconds(10), Duration.ofSeconds(1000));
        assertThat(during.signingKeys()).extracting(EndpointCredentials.SigningKey::notAfter)
                .containsExactly(null, T0.plusSeconds(1010), T0.plusSeconds(100));

        EndpointCredentials leaked = EndpointCredentials.of(first, auth)
                .rotate(second, T0, Duration.ofSeconds(100))
                .rotate(third, T0.plusSeconds(10), Duration.ZERO);
        assertThat(leaked.secretsValidAt(T0.plusSeconds(10))).containsExactly(third);
    }

    @Test
    void atMostThreeSecretsSignAndARotationBeyondThemRetiresTheOldest() {
        WebhookSecret[] secrets = new WebhookSecret[7];
        EndpointCredentials c = EndpointCredentials.of(secrets[0] = WebhookSecret.generate(), auth);
        for (int i = 1; i < secrets.length; i++) {
            c = c.rotate(secrets[i] = WebhookSecret.generate(), T0.plusSeconds(i), Duration.ofDays(7));
            assertThat(c.secretsValidAt(T0.plusSeconds(i))).as("after rotation %d", i)
                    .hasSize(Math.min(i + 1, EndpointCredentials.MAX_SIGNING_SECRETS));
        }
        assertThat(c.secretsValidAt(T0.plusSeconds(7))).as("the newest three, newest first")
                .containsExactly(secrets[6], secrets[5], secrets[4]);
    }

    @Test
    void rotatingToASecretStillInGraceDoesNotSignTwiceWithIt() {
        EndpointCredentials c = EndpointCredentials.of(first, auth)
                .rotate(second, T0, Duration.ofSeconds(100))
                .rotate(first, T0.plusSeconds(1), Duration.ofSeconds(100));

        assertThat(c.secretsValidAt(T0.plusSeconds(2))).containsExactly(first, second);
    }

    @Test
    void theRotatedListSurvivesStorageAndNeverPrints() {
        EndpointCredentials c = EndpointCredentials.of(first, auth).rotate(second, T0, Duration.ofSeconds(5));
        EndpointCredentials read = EndpointCredentials.fromJson(c.toJson());

        assertThat(read.signingKeys()).isEqualTo(c.signingKeys());
        assertThat(read.auth()).isEqualTo(auth);
        assertThat(c.toString()).doesNotContain(first.reveal()).doesNotContain(second.reveal()).doesNotContain("tok_kept");
        assertThat(c.withAuth(new OutboundAuth.None()).signingKeys()).isEqualTo(c.signingKeys());
        assertThatThrownBy(() -> c.rotate(third, T0, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
