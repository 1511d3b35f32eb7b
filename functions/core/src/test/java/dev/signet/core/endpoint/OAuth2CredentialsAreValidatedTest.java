package dev.signet.core.endpoint;

import dev.signet.core.event.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * README, endpoints: {@code auth: {type: "oauth2_client_credentials", token_url, client_id,
 * client_secret, scope?, audience?}}. Bad values are a 400 naming the field under {@code auth} without
 * echoing the secret; the secret never shows in {@code toString}; a change of any value is a different
 * credential set (its token is not reused).
 */
class OAuth2CredentialsAreValidatedTest {
    private static final String URL = "https://auth.casterly.test/oauth2/token";

    private static void refused(String field, String message, Runnable make) {
        assertThatThrownBy(make::run).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void requiredValuesAreNamedWhenMissing() {
        refused("auth.token_url", "token_url is required: the https URL of the OAuth2 token endpoint",
                () -> OAuth2ClientCredentials.of(" ", "id", "secret", null, null));
        refused("auth.client_id", "client_id is required", () -> OAuth2ClientCredentials.of(URL, "", "secret", null, null));
        refused("auth.client_secret", "client_secret is required", () -> OAuth2ClientCredentials.of(URL, "id", null, null, null));
    }

    @Test
    void valuesMustBePrintableAsciiOfBoundedLengthAndAreNotEchoed() {
        refused("auth.client_secret", "client_secret must be printable ASCII (character 4 is not)",
                () -> OAuth2ClientCredentials.of(URL, "id", "abc\r\nX-Injected: 1", null, null));
        refused("auth.client_id", "client_id must be at most 1024 characters",
                () -> OAuth2ClientCredentials.of(URL, "i".repeat(1025), "secret", null, null));
        refused("auth.audience", "audience must be printable ASCII (character 1 is not)",
                () -> OAuth2ClientCredentials.of(URL, "id", "secret", null, "\u00e9"));
        refused("auth.scope", "scope must be scope names separated by single spaces (printable ASCII without \" or \\)",
                () -> OAuth2ClientCredentials.of(URL, "id", "secret", "read  write", null));
        refused("auth.scope", "scope must be scope names separated by single spaces (printable ASCII without \" or \\)",
                () -> OAuth2ClientCredentials.of(URL, "id", "secret", "a\"b", null));
    }

    @Test
    void optionalValuesMayBeLeftOutAndBasicIsTheDefault() {
        OAuth2ClientCredentials c = new OAuth2ClientCredentials(URL, "id", "secret", "", "", null);

        assertThat(c.scope()).isNull();
        assertThat(c.audience()).isNull();
        assertThat(c.clientAuthentication()).isEqualTo(OAuth2ClientCredentials.ClientAuthentication.BASIC);
        assertThat(OAuth2ClientCredentials.of(URL, "id", "secret", "webhooks:write read", "api").scope()).isEqualTo("webhooks:write read");
    }

    @Test
    void theSecretIsRedactedAndEveryValueChangesTheFingerprint() {
        OAuth2ClientCredentials c = OAuth2ClientCredentials.of(URL, "casterly", "very-secret-value", "read", "api");

        assertThat(c.toString()).contains("casterly").contains("client_secret=redacted").doesNotContain("very-secret-value");
        assertThat(c.fingerprint()).hasSize(64).isEqualTo(OAuth2ClientCredentials.of(URL, "casterly", "very-secret-value", "read", "api").fingerprint())
                .doesNotContain("very-secret-value");
        assertThat(java.util.List.of(
                OAuth2ClientCredentials.of(URL + "2", "casterly", "very-secret-value", "read", "api"),
                OAuth2ClientCredentials.of(URL, "casterly2", "very-secret-value", "read", "api"),
                OAuth2ClientCredentials.of(URL, "casterly", "very-secret-value2", "read", "api"),
                OAuth2ClientCredentials.of(URL, "casterly", "very-secret-value", "write", "api"),
                OAuth2ClientCredentials.of(URL, "casterly", "very-secret-value", "read", null),
                new OAuth2ClientCredentials(URL, "casterly", "very-secret-value", "read", "api", OAuth2ClientCredentials.ClientAuthentication.FORM),
                // Field boundaries count: moving a character from one value to the next is another set.
                OAuth2ClientCredentials.of(URL, "casterlyv", "ery-secret-value", "read", "api")))
                .extracting(OAuth2ClientCredentials::fingerprint).doesNotContain(c.fingerprint()).doesNotHaveDuplicates();
    }
}
