package dev.signet.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.api.ApiException;
import dev.signet.core.endpoint.ClientCertificate;
import dev.signet.core.endpoint.Endpoint;
import dev.signet.core.endpoint.OAuth2ClientCredentials;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.signing.WebhookSecret;
import dev.signet.core.urlguard.UrlGuard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates the endpoint fields (openapi.yaml, endpoints), each error naming its field. */
final class EndpointInput {
    static final Set<String> CREATE_FIELDS = Set.of("url", "description", "method", "payload_format", "event_types",
            "headers", "auth", "timeout_seconds", "enabled", "secret", "signature_scheme", "tls_client_certificate");
    /**
     * What PATCH reads: every create field; {@code secret} only to refuse it with a pointer to rotation,
     * {@code signature_scheme} only to refuse it (fixed at create).
     */
    static final Set<String> PATCH_FIELDS = CREATE_FIELDS;
    static final int MAX_HEADERS = 10;
    static final int MAX_HEADER_VALUE = 1024;
    static final int MAX_EVENT_TYPES = 100;
    static final int MAX_DESCRIPTION = 1024;
    static final int MAX_CREDENTIAL = 1024;
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    /** Names Signet sets itself, plus the hop-by-hop headers an HTTP client manages. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "user-agent",
            "authorization", "connection", "expect", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer",
            "proxy-authorization", "proxy-connection");

    private EndpointInput() {
    }

    static String url(Body body, UrlGuard guard) {
        String url = body.requiredString("url");
        try {
            guard.check(url);
        } catch (UrlGuard.BlockedUrlException e) {
            if (e.detail() != null) {
                // For the operator: which internal address a tenant's URL named (the tenant is not told).
                dev.signet.core.log.Log.info("webhook url refused", f -> f.put("reason", e.getMessage()).put("detail", e.detail()));
            }
            throw ApiException.invalid("url", e.getMessage());
        }
        return url;
    }

    static String description(Body body) {
        String d = body.string("description", "");
        if (d.length() > MAX_DESCRIPTION) {
            throw ApiException.invalid("description", "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        return d;
    }

    static String method(Body body) {
        String m = body.string("method", "POST").toUpperCase(Locale.ROOT);
        if (!Set.of("POST", "PUT", "PATCH").contains(m)) {
            throw ApiException.invalid("method", "method must be POST, PUT or PATCH");
        }
        return m;
    }

    static Endpoint.PayloadFormat payloadFormat(Body body) {
        return switch (body.string("payload_format", "envelope")) {
            case "envelope" -> Endpoint.PayloadFormat.ENVELOPE;
            case "raw" -> Endpoint.PayloadFormat.RAW;
            default -> throw ApiException.invalid("payload_format", "payload_format must be \"envelope\" or \"raw\"");
        };
    }

    static List<String> eventTypes(Body body) {
        JsonNode v = body.get("event_types");
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > MAX_EVENT_TYPES) {
            throw ApiException.invalid("event_types", "event_types must be an array of up to " + MAX_EVENT_TYPES + " event names (empty means all)");
        }
        List<String> types = new ArrayList<>();
        for (JsonNode t : v) {
            if (!t.isTextual() || !EVENT_TYPE.matcher(t.asText()).matches()) {
                throw ApiException.invalid("event_types", "each event type must be 1 to 128 of A-Z a-z 0-9 _ . : -");
            }
            if (!types.contains(t.asText())) {
                types.add(t.asText());
            }
        }
        return types;
    }

    /** One event type, e.g. the {@code event} of a test event, or {@code fallback} when absent. */
    static String eventType(Body body, String field, String fallback) {
        String type = body.string(field, fallback);
        if (!EVENT_TYPE.matcher(type).matches()) {
            throw ApiException.invalid(field, field + " must be 1 to 128 of A-Z a-z 0-9 _ . : -");
        }
        return type;
    }

    /** PATCH's {@code enabled}: present means true or false, never null. */
    static boolean enabled(Body body) {
        JsonNode v = body.get("enabled");
        if (v == null || !v.isBoolean()) {
            throw ApiException.invalid("enabled", "enabled must be true or false");
        }
        return v.asBoolean();
    }

    static Map<String, String> headers(Body body) {
        JsonNode v = body.get("headers");
        if (v == null || v.isNull()) {
            return Map.of();
        }
        if (!v.isObject() || v.size() > MAX_HEADERS) {
            throw ApiException.invalid("headers", "headers must be an object of at most " + MAX_HEADERS + " name: value pairs");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!TOKEN.matcher(name).matches()) {
                throw ApiException.invalid("headers", "header name \"" + h.getKey() + "\" is not a valid HTTP header name");
            }
            if (RESERVED_HEADERS.contains(name) || name.startsWith("webhook-")) {
                throw ApiException.invalid("headers", "header \"" + h.getKey() + "\" is set by Signet and cannot be customised");
            }
            JsonNode value = h.getValue();
            if (!value.isTextual() || value.asText().length() > MAX_HEADER_VALUE || !isHeaderValue(value.asText())) {
                throw ApiException.invalid("headers", "header \"" + h.getKey() + "\" must have a string value of at most 1 KiB "
                        + "of printable ASCII characters (space to ~) and tabs");
            }
            if (headers.put(name, value.asText()) != null) {
                throw ApiException.invalid("headers", "header \"" + h.getKey() + "\" is given twice");
            }
        }
        return headers;
    }

    static OutboundAuth auth(Body body, UrlGuard guard) {
        JsonNode v = body.get("auth");
        if (v == null || v.isNull()) {
            return new OutboundAuth.None();
        }
        if (!v.isObject()) {
            throw ApiException.invalid("auth", "auth must be an object with a type: none, basic, bearer, header or oauth2_client_credentials");
        }
        String type = v.path("type").asText("");
        Set<String> allowed = switch (type) {
            case "none" -> Set.of("type");
            case "basic" -> Set.of("type", "username", "password");
            case "bearer" -> Set.of("type", "token");
            case "header" -> Set.of("type", "name", "value");
            case "oauth2_client_credentials" -> Set.of("type", "token_url", "client_id", "client_secret", "scope", "audience");
            default -> throw ApiException.invalid("auth.type", "auth.type must be none, basic, bearer, header or oauth2_client_credentials");
        };
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw ApiException.invalid("auth." + f, "auth of type " + type + " takes only " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return switch (type) {
            case "basic" -> {
                String user = credential(v, "username");
                if (user.contains(":")) {
                    throw ApiException.invalid("auth.username", "auth.username must not contain ':'");
                }
                yield new OutboundAuth.Basic(user, credential(v, "password"));
            }
            case "bearer" -> new OutboundAuth.Bearer(headerCredential(v, "token"));
            case "header" -> {
                String name = credential(v, "name").toLowerCase(Locale.ROOT);
                if (!TOKEN.matcher(name).matches() || RESERVED_HEADERS.contains(name) && !name.equals("authorization")
                        || name.startsWith("webhook-")) {
                    throw ApiException.invalid("auth.name", "auth.name must be a header name Signet does not set itself");
                }
                yield new OutboundAuth.Header(name, headerCredential(v, "value"));
            }
            case "oauth2_client_credentials" -> new OutboundAuth.OAuth2(oauth2(v, guard));
            default -> new OutboundAuth.None();
        };
    }

    /**
     * OAuth 2.0 client credentials: the values checked as {@link OAuth2ClientCredentials} checks them,
     * and {@code token_url} by the URL guard exactly as {@code url} (https outside local mode, public
     * addresses only); errors name {@code auth.<field>} and never echo the client secret.
     */
    private static OAuth2ClientCredentials oauth2(JsonNode auth, UrlGuard guard) {
        for (String field : List.of("token_url", "client_id", "client_secret", "scope", "audience")) {
            JsonNode f = auth.get(field);
            if (f != null && !f.isNull() && !f.isTextual()) {
                throw ApiException.invalid("auth." + field, "auth." + field + " must be a string");
            }
        }
        OAuth2ClientCredentials credentials = OAuth2ClientCredentials.of(text(auth, "token_url"), text(auth, "client_id"),
                text(auth, "client_secret"), text(auth, "scope"), text(auth, "audience"));
        try {
            guard.check(credentials.tokenUrl());
        } catch (UrlGuard.BlockedUrlException e) {
            String why = e.getMessage();
            throw ApiException.invalid("auth.token_url", why.startsWith("url ") ? "auth.token_url" + why.substring(3) : "auth.token_url: " + why);
        }
        return credentials;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** {@code "v1"} (the default) or {@code "v1a"}. */
    static Endpoint.SignatureScheme signatureScheme(Body body) {
        return switch (body.string("signature_scheme", "v1")) {
            case "v1" -> Endpoint.SignatureScheme.V1;
            case "v1a" -> Endpoint.SignatureScheme.V1A;
            default -> throw ApiException.invalid("signature_scheme", "signature_scheme must be \"v1\" (HMAC-SHA256) or \"v1a\" (ed25519)");
        };
    }

    /**
     * {@code tls_client_certificate}: {@code {certificate, private_key}} checked as it is saved (PEM,
     * the key belongs to the certificate, the chain in order, for client authentication, valid now:
     * a 400 naming {@code tls_client_certificate.certificate} or {@code .private_key}, never quoting the
     * key); null or absent: none.
     */
    static ClientCertificate clientCertificate(Body body, Instant now) {
        JsonNode v = body.get(ClientCertificate.FIELD);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.invalid(ClientCertificate.FIELD, ClientCertificate.FIELD
                    + " must be an object {\"certificate\": \"<PEM chain>\", \"private_key\": \"<PEM>\"}, or null to remove it");
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("certificate") && !f.equals("private_key")) {
                throw ApiException.invalid(ClientCertificate.FIELD + "." + f, ClientCertificate.FIELD + " takes only certificate and private_key");
            }
            if (!v.get(f).isTextual()) {
                throw ApiException.invalid(ClientCertificate.FIELD + "." + f, ClientCertificate.FIELD + "." + f + " must be a PEM string");
            }
        }
        return ClientCertificate.forSaving(text(v, "certificate"), text(v, "private_key"), now);
    }

    /** A write-only credential: errors describe it without ever echoing it. */
    private static String credential(JsonNode auth, String field) {
        JsonNode v = auth.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw ApiException.invalid("auth." + field, "auth." + field + " is required and must be a non-empty string");
        }
        String s = v.asText();
        if (s.length() > MAX_CREDENTIAL || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.invalid("auth." + field, "auth." + field + " must be at most " + MAX_CREDENTIAL + " printable characters");
        }
        return s;
    }

    /**
     * A credential sent as a header value as it is (a bearer token, a header-auth value): printable ASCII
     * and tabs only, which is what an HTTP header may carry; the JDK's client refuses anything else at
     * send time, so it is refused here, when it can still be fixed.
     */
    private static String headerCredential(JsonNode auth, String field) {
        String s = credential(auth, field);
        if (!isHeaderValue(s)) {
            throw ApiException.invalid("auth." + field, "auth." + field + " must be printable ASCII characters (space to ~) and tabs");
        }
        return s;
    }

    /** RFC 7230 field-value characters Signet accepts: visible ASCII, space and tab. */
    static boolean isHeaderValue(String s) {
        return s.chars().allMatch(c -> c == '\t' || c >= 0x20 && c <= 0x7e);
    }

    static int timeoutSeconds(Body body) {
        return body.integer("timeout_seconds", Endpoint.DEFAULT_TIMEOUT_SECONDS, 1, 30);
    }

    /** The customer's secret, or null to generate one. */
    static WebhookSecret secret(Body body) {
        String s = body.string("secret", null);
        if (s == null) {
            return null;
        }
        try {
            return WebhookSecret.parse(s);
        } catch (WebhookSecret.InvalidSecretException e) {
            throw ApiException.invalid("secret", e.getMessage());
        }
    }
}
