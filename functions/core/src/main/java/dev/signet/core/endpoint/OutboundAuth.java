package dev.signet.core.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.signet.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** The credential Signet presents to a receiver, besides the signature. Write-only; redacted in toString. */
public sealed interface OutboundAuth {
    /** The header to add to each request, or null for none. */
    Map.Entry<String, String> header();

    ObjectNode toJson();

    Endpoint.AuthType type();

    record None() implements OutboundAuth {
        public Map.Entry<String, String> header() {
            return null;
        }

        public ObjectNode toJson() {
            return Json.object().put("type", "none");
        }

        public Endpoint.AuthType type() {
            return Endpoint.AuthType.NONE;
        }
    }

    record Basic(String username, String password) implements OutboundAuth {
        public Map.Entry<String, String> header() {
            String pair = username + ":" + password;
            return Map.entry("authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        public ObjectNode toJson() {
            return Json.object().put("type", "basic").put("username", username).put("password", password);
        }

        public Endpoint.AuthType type() {
            return Endpoint.AuthType.BASIC;
        }

        @Override
        public String toString() {
            return "Basic[redacted]";
        }
    }

    record Bearer(String token) implements OutboundAuth {
        public Map.Entry<String, String> header() {
            return Map.entry("authorization", "Bearer " + token);
        }

        public ObjectNode toJson() {
            return Json.object().put("type", "bearer").put("token", token);
        }

        public Endpoint.AuthType type() {
            return Endpoint.AuthType.BEARER;
        }

        @Override
        public String toString() {
            return "Bearer[redacted]";
        }
    }

    record Header(String name, String value) implements OutboundAuth {
        public Map.Entry<String, String> header() {
            return Map.entry(name, value);
        }

        public ObjectNode toJson() {
            return Json.object().put("type", "header").put("name", name).put("value", value);
        }

        public Endpoint.AuthType type() {
            return Endpoint.AuthType.HEADER;
        }

        @Override
        public String toString() {
            return "Header[redacted]";
        }
    }

    /**
     * OAuth 2.0 client credentials: the header carries an access token the delivery function obtains
     * from {@code token_url} and keeps until shortly before it expires (delivery's {@code OAuth2Tokens}),
     * so there is no fixed header here.
     */
    record OAuth2(OAuth2ClientCredentials credentials) implements OutboundAuth {
        public Map.Entry<String, String> header() {
            return null;
        }

        public ObjectNode toJson() {
            ObjectNode n = Json.object().put("type", "oauth2_client_credentials").put("token_url", credentials.tokenUrl())
                    .put("client_id", credentials.clientId()).put("client_secret", credentials.clientSecret())
                    .put("client_authentication", credentials.clientAuthentication().name().toLowerCase(java.util.Locale.ROOT));
            if (credentials.scope() != null) {
                n.put("scope", credentials.scope());
            }
            if (credentials.audience() != null) {
                n.put("audience", credentials.audience());
            }
            return n;
        }

        public Endpoint.AuthType type() {
            return Endpoint.AuthType.OAUTH2_CLIENT_CREDENTIALS;
        }

        @Override
        public String toString() {
            return "OAuth2[redacted]";
        }
    }

    static OutboundAuth fromJson(JsonNode n) {
        return switch (n.path("type").asText("none")) {
            case "basic" -> new Basic(n.path("username").asText(), n.path("password").asText());
            case "bearer" -> new Bearer(n.path("token").asText());
            case "header" -> new Header(n.path("name").asText(), n.path("value").asText());
            case "oauth2_client_credentials" -> new OAuth2(new OAuth2ClientCredentials(n.path("token_url").asText(),
                    n.path("client_id").asText(), n.path("client_secret").asText(), Json.text(n, "scope"), Json.text(n, "audience"),
                    OAuth2ClientCredentials.ClientAuthentication.valueOf(n.path("client_authentication").asText("basic")
                            .toUpperCase(java.util.Locale.ROOT))));
            default -> new None();
        };
    }
}
