package dev.signet.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.signet.core.config.SignetConfig;
import dev.signet.core.endpoint.OAuth2ClientCredentials;
import dev.signet.core.json.Json;
import dev.signet.core.urlguard.UrlGuard;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Access tokens for endpoints whose auth is {@code oauth2_client_credentials} (RFC 6749 section 4.4):
 * fetched from the endpoint's {@code token_url} through the URL guard (https outside local mode, pinned
 * to the checked addresses, no redirects), kept per endpoint until shortly before they expire, and
 * fetched again once when the receiver answers 401. Concurrent deliveries to one endpoint share one
 * token request. Nothing here logs; tokens and the client secret never appear in a reason.
 */
public final class OAuth2Tokens {
    static final Duration TOKEN_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The lifetime assumed when the token endpoint does not say ({@code expires_in} is optional). */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    /** A token is replaced this long before it expires (or a tenth of its lifetime, if shorter). */
    static final Duration REFRESH_EARLY = Duration.ofSeconds(60);
    static final int MAX_ENDPOINTS = 10_000;
    static final int MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
    static final int MAX_TOKEN_CHARS = 8 * 1024;
    private static final int MAX_DESCRIPTION_CHARS = 200;

    /** What a token request came to. */
    public sealed interface Outcome {
    }

    /** An access token; {@link #toString()} never shows it. */
    public record Token(String accessToken) implements Outcome {
        /** The {@code Authorization} header value. */
        public String authorization() {
            return "Bearer " + accessToken;
        }

        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }

    /**
     * No token: {@code reason} says what to fix (shown in the delivery log); {@code blocked} when the
     * URL guard refused {@code token_url}, which, like a refused webhook URL, retrying cannot fix.
     */
    public record Failed(String reason, boolean blocked) implements Outcome {
    }

    /** A fetched token for one set of credentials, or the failure, for the callers waiting on that fetch. */
    private record Fetched(String fingerprint, Outcome outcome, Instant refreshAt) {
    }

    private final UrlGuard guard;
    private final Clock clock;
    private final HttpClient http;
    private final Duration timeout;
    /** Per endpoint: the token in use, or the request fetching it. */
    private final ConcurrentHashMap<String, CompletableFuture<Fetched>> tokens = new ConcurrentHashMap<>();

    public OAuth2Tokens(UrlGuard guard, Clock clock) {
        this(guard, clock, TOKEN_REQUEST_TIMEOUT);
    }

    OAuth2Tokens(UrlGuard guard, Clock clock, Duration timeout) {
        this.guard = guard;
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * Sends one delivery with a bearer token: the endpoint's cached token, or a fresh one. A 401 from
     * the receiver drops that token and, with a different fresh one, sends once more; the second
     * answer is the attempt's, whatever it is. A token that cannot be had fails the attempt with the
     * reason and no request. The result's duration includes the token requests.
     *
     * @param endpoint identifies the endpoint (e.g. workspace and endpoint id): tokens are kept per endpoint
     * @param headers  the request's headers, without {@code authorization}
     * @param send     sends the request with the headers given (the caller's {@link WebhookClient} call,
     *                 with its URL, body, timeout and any client certificate)
     */
    public WebhookSender.Result send(String endpoint, OAuth2ClientCredentials credentials, Map<String, String> headers,
                                     Function<Map<String, String>, WebhookSender.Result> send) {
        long started = System.nanoTime();
        Outcome first = token(endpoint, credentials);
        if (!(first instanceof Token token)) {
            Failed failed = (Failed) first;
            return new WebhookSender.Failure(failed.reason(), elapsed(started), failed.blocked());
        }
        WebhookSender.Result result = send.apply(withAuthorization(headers, token));
        if (result instanceof WebhookSender.Response r && r.status() == 401
                && afterUnauthorized(endpoint, credentials, token) instanceof Token fresh && !fresh.equals(token)) {
            result = send.apply(withAuthorization(headers, fresh));
        }
        return switch (result) {
            case WebhookSender.Response r -> new WebhookSender.Response(r.status(), r.headers(), r.body(), elapsed(started));
            case WebhookSender.Failure f -> new WebhookSender.Failure(f.error(), elapsed(started), f.blocked());
        };
    }

    /** The endpoint's token: the one kept, while it is not about to expire, else a fresh one (one request for all callers). */
    public Outcome token(String endpoint, OAuth2ClientCredentials credentials) {
        String fingerprint = credentials.fingerprint();
        while (true) {
            CompletableFuture<Fetched> current = tokens.get(endpoint);
            if (current == null) {
                CompletableFuture<Fetched> mine = new CompletableFuture<>();
                if (tokens.size() >= MAX_ENDPOINTS) {
                    tokens.clear(); // bounded: a full map starts over, each endpoint fetches again
                }
                if (tokens.putIfAbsent(endpoint, mine) != null) {
                    continue;
                }
                Fetched fetched;
                try {
                    fetched = fetch(credentials, fingerprint);
                } catch (RuntimeException e) {
                    fetched = new Fetched(fingerprint, new Failed("token request failed: " + e.getClass().getSimpleName(), false), null);
                }
                mine.complete(fetched);
                if (!(fetched.outcome() instanceof Token) || fetched.refreshAt() == null) {
                    tokens.remove(endpoint, mine); // failures and single-use tokens are not kept: the next delivery asks again
                }
                return fetched.outcome();
            }
            Fetched fetched = current.join();
            if (fetched.fingerprint().equals(fingerprint)
                    && (fetched.refreshAt() == null || clock.instant().isBefore(fetched.refreshAt()))) {
                // Kept; or the outcome (a failure, a single-use token) of the request this caller waited for.
                return fetched.outcome();
            }
            tokens.remove(endpoint, current); // about to expire, or obtained with other credentials
        }
    }

    /**
     * The receiver refused {@code rejected} (401): drops it and returns a fresh token, fetched once
     * however many deliveries saw the 401 (a caller whose token was already replaced gets the new one).
     */
    public Outcome afterUnauthorized(String endpoint, OAuth2ClientCredentials credentials, Token rejected) {
        CompletableFuture<Fetched> current = tokens.get(endpoint);
        if (current != null && current.isDone() && rejected.equals(current.join().outcome())) {
            tokens.remove(endpoint, current);
        }
        return token(endpoint, credentials);
    }

    private static Map<String, String> withAuthorization(Map<String, String> headers, Token token) {
        Map<String, String> out = new HashMap<>(headers);
        out.put("authorization", token.authorization());
        return out;
    }

    // ---- the token request --------------------------------------------------------------------------

    private Fetched fetch(OAuth2ClientCredentials c, String fingerprint) {
        UrlGuard.Target target;
        try {
            target = guard.target(c.tokenUrl());
        } catch (UrlGuard.BlockedUrlException e) {
            String why = e.getMessage();
            return failed(fingerprint, why.startsWith("url ") ? "token_url" + why.substring(3) : "token_url: " + why, true);
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (c.scope() != null) {
            form.append("&scope=").append(formEncode(c.scope()));
        }
        if (c.audience() != null) {
            form.append("&audience=").append(formEncode(c.audience()));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri())
                .timeout(timeout)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("user-agent", "Signet/" + SignetConfig.VERSION);
        if (c.clientAuthentication() == OAuth2ClientCredentials.ClientAuthentication.BASIC) {
            // RFC 6749 section 2.3.1: each part form-encoded, then joined with ':' and base64-encoded.
            String pair = formEncode(c.clientId()) + ":" + formEncode(c.clientSecret());
            request.header("authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.append("&client_id=").append(formEncode(c.clientId())).append("&client_secret=").append(formEncode(c.clientSecret()));
        }
        request.POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> response;
        try (PinnedAddresses.Handle pin = PinnedAddresses.pin(target.host(), target.addresses())) {
            CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request.build(),
                    info -> new WebhookClient.CappedBody(MAX_TOKEN_RESPONSE_BYTES));
            try {
                // Rare (once per token lifetime): a timed wait is fine here; it bounds a trickling body too.
                response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                future.cancel(true);
                return timedOut(fingerprint, target.host(), timeout);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                return failed(fingerprint, "token request interrupted", false);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                    // The request's own timeout, the same as the wait's: whichever noticed first, one reason.
                    return timedOut(fingerprint, target.host(), timeout);
                }
                return failed(fingerprint, "token request to " + target.host() + " failed: " + describe(e.getCause()), false);
            }
        }
        return answer(response, c, fingerprint);
    }

    private Fetched answer(HttpResponse<byte[]> response, OAuth2ClientCredentials c, String fingerprint) {
        JsonNode body;
        try {
            body = Json.parse(response.body());
        } catch (IOException | RuntimeException e) {
            body = null;
        }
        int status = response.statusCode();
        if (status != 200) {
            String error = body == null ? null : text(body, "error");
            String description = body == null ? null : text(body, "error_description");
            StringBuilder reason = new StringBuilder("token endpoint answered ").append(status);
            if (error != null) {
                reason.append(" (").append(printable(error, c));
                if (description != null) {
                    reason.append(": ").append(printable(description, c));
                }
                reason.append(')');
            }
            reason.append(hint(status, error));
            return failed(fingerprint, reason.toString(), false);
        }
        if (body == null || !body.isObject()) {
            return failed(fingerprint, "token endpoint's answer is not a JSON object; check token_url", false);
        }
        String accessToken = text(body, "access_token");
        if (accessToken == null || accessToken.isEmpty()) {
            return failed(fingerprint, "token endpoint's answer has no access_token", false);
        }
        if (accessToken.length() > MAX_TOKEN_CHARS || !accessToken.chars().allMatch(ch -> ch >= 0x21 && ch <= 0x7e)) {
            return failed(fingerprint, "token endpoint's access_token cannot be sent in a header (over "
                    + MAX_TOKEN_CHARS + " characters, or not visible ASCII)", false);
        }
        String type = text(body, "token_type");
        if (type != null && !type.equalsIgnoreCase("bearer")) {
            return failed(fingerprint, "token endpoint issued a token of type " + printable(type, c)
                    + "; Signet sends Bearer tokens", false);
        }
        Duration lifetime = DEFAULT_LIFETIME;
        JsonNode expiresIn = body.get("expires_in");
        if (expiresIn != null && !expiresIn.isNull()) {
            long seconds = expiresIn.isNumber() ? expiresIn.asLong() : parseSeconds(expiresIn.asText());
            if (seconds < 0) {
                return failed(fingerprint, "token endpoint's expires_in is not a number of seconds", false);
            }
            lifetime = Duration.ofSeconds(seconds);
        }
        Duration early = lifetime.dividedBy(10).compareTo(REFRESH_EARLY) < 0 ? lifetime.dividedBy(10) : REFRESH_EARLY;
        Instant refreshAt = lifetime.isZero() ? null : clock.instant().plus(lifetime).minus(early);
        return new Fetched(fingerprint, new Token(accessToken), refreshAt);
    }

    /** What the customer can do about a refused token request. */
    private static String hint(int status, String error) {
        if ("invalid_client".equals(error) || (error == null && status == 401)) {
            return "; check client_id and client_secret";
        }
        if ("invalid_scope".equals(error)) {
            return "; check scope";
        }
        if ("unauthorized_client".equals(error)) {
            return "; the client may not use the client_credentials grant: allow it at the provider";
        }
        if (status == 404 || status == 405) {
            return "; check token_url";
        }
        return "";
    }

    private static long parseSeconds(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    /**
     * A token endpoint's own words, for the delivery log: printable ASCII, at most 200 characters,
     * and never the client secret, should the endpoint echo it.
     */
    private static String printable(String text, OAuth2ClientCredentials c) {
        String safe = text.replace(c.clientSecret(), "[redacted]").replaceAll("[^\\x20-\\x7e]", "?");
        return safe.length() <= MAX_DESCRIPTION_CHARS ? safe : safe.substring(0, MAX_DESCRIPTION_CHARS) + "…";
    }

    private static String describe(Throwable t) {
        if (t instanceof java.net.ConnectException) {
            return "connection refused or unreachable; check token_url";
        }
        if (t instanceof javax.net.ssl.SSLException) {
            return "TLS handshake failed: " + t.getMessage();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static Fetched timedOut(String fingerprint, String host, Duration timeout) {
        return failed(fingerprint, "token request to " + host + " timed out after " + timeout.toSeconds() + " s", false);
    }

    private static Fetched failed(String fingerprint, String reason, boolean blocked) {
        return new Fetched(fingerprint, new Failed(reason, blocked), null);
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
