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

    static OutboundAuth fromJson(JsonNode n) {
        return switch (n.path("type").asText("none")) {
            case "basic" -> new Basic(n.path("username").asText(), n.path("password").asText());
            case "bearer" -> new Bearer(n.path("token").asText());
            case "header" -> new Header(n.path("name").asText(), n.path("value").asText());
            default -> new None();
        };
    }
}
