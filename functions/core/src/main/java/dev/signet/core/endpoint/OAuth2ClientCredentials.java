package dev.signet.core.endpoint;

import dev.signet.core.event.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An endpoint's {@code auth: {type: "oauth2_client_credentials", …}}: where Signet gets an access token
 * (OAuth 2.0 client credentials grant, RFC 6749 section 4.4) to send as {@code Authorization: Bearer}.
 * The client secret is write-only; {@link #toString()} is redacted. The token URL's address rules are
 * the webhook URL's: the URL guard checks it when saved and at every token request.
 *
 * @param scope    optional, space-separated scope tokens
 * @param audience optional, for token endpoints that want one (an extension many providers use)
 * @param clientAuthentication how the client id and secret reach the token endpoint: HTTP Basic, which
 *                 RFC 6749 section 2.3.1 requires every server to support, or in the form body
 */
public record OAuth2ClientCredentials(String tokenUrl, String clientId, String clientSecret, String scope, String audience,
                                      ClientAuthentication clientAuthentication) {
    static final int MAX_CHARS = 1024;
    private static final String FIELD = "auth.";

    /** RFC 6749 section 2.3.1: {@code client_secret_basic} or {@code client_secret_post}. */
    public enum ClientAuthentication { BASIC, FORM }

    public OAuth2ClientCredentials {
        if (tokenUrl == null || tokenUrl.isBlank()) {
            throw new InvalidInputException(FIELD + "token_url", "token_url is required: the https URL of the OAuth2 token endpoint");
        }
        text(clientId, "client_id", true);
        text(clientSecret, "client_secret", true);
        text(audience, "audience", false);
        if (scope != null && !scope.isEmpty() && !scope.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*")) {
            throw new InvalidInputException(FIELD + "scope", "scope must be scope names separated by single spaces "
                    + "(printable ASCII without \" or \\)");
        }
        text(scope, "scope", false);
        scope = scope == null || scope.isEmpty() ? null : scope;
        audience = audience == null || audience.isEmpty() ? null : audience;
        clientAuthentication = clientAuthentication == null ? ClientAuthentication.BASIC : clientAuthentication;
    }

    /** With HTTP Basic client authentication. */
    public static OAuth2ClientCredentials of(String tokenUrl, String clientId, String clientSecret, String scope, String audience) {
        return new OAuth2ClientCredentials(tokenUrl, clientId, clientSecret, scope, audience, ClientAuthentication.BASIC);
    }

    /** Printable ASCII (a header or form value Signet sends), at most {@link #MAX_CHARS}; the value is never echoed. */
    private static void text(String value, String name, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new InvalidInputException(FIELD + name, name + " is required");
            }
            return;
        }
        if (value.length() > MAX_CHARS) {
            throw new InvalidInputException(FIELD + name, name + " must be at most " + MAX_CHARS + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new InvalidInputException(FIELD + name, name + " must be printable ASCII (character " + (i + 1) + " is not)");
            }
        }
    }

    /**
     * SHA-256 of every field, in hex: tells credential sets apart, so a token obtained with one set is
     * never used after the endpoint's auth changed. Reveals nothing about the secret.
     */
    public String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {tokenUrl, clientId, clientSecret, scope, audience, clientAuthentication.name()}) {
                byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "OAuth2ClientCredentials[token_url=" + tokenUrl + ", client_id=" + clientId + ", client_secret=redacted"
                + (scope == null ? "" : ", scope=" + scope) + (audience == null ? "" : ", audience=" + audience)
                + ", " + clientAuthentication + "]";
    }
}
