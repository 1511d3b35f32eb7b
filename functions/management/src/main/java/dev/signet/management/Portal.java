package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The embedded portal (issue 4): three static files from {@code portal/} on the classpath, served at
 * {@code /portal}. The page holds no data of its own: it reads the session token from the URL
 * fragment and calls the public API with it, so nothing here is per workspace.
 *
 * <p>Every response carries a Content-Security-Policy that lets the page load and call only Signet
 * itself ({@code 'self'}: no inline script, no CDN, no third-party connection) and that allows framing
 * only by the origins configured for the deployment ({@code SIGNET_PORTAL_FRAME_ANCESTORS}).
 */
final class Portal {
    static final String PREFIX = "/portal";
    private static final String[] FILES = {"portal.js", "portal.css"};

    /** One file, ready to send. */
    private record Asset(String contentType, String body, String cacheControl) {
    }

    private final Map<String, Asset> assets = new HashMap<>();
    private final Map<String, String> securityHeaders;

    Portal(String frameAncestors) {
        this.securityHeaders = Map.of(
                "content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " + frameAncestors,
                "x-content-type-options", "nosniff",
                "referrer-policy", "no-referrer",
                "cross-origin-resource-policy", "same-origin");
        String index = read("index.html");
        for (String file : FILES) {
            String body = read(file);
            assets.put(PREFIX + "/" + file, new Asset(contentType(file), body, "public, max-age=31536000, immutable"));
            // The page names each file with its content hash, so a cached copy is never stale.
            index = index.replace("{{" + file + "}}", "portal/" + file + "?v=" + shortHash(body));
        }
        assets.put(PREFIX, new Asset("text/html; charset=utf-8", index, "no-store"));
    }

    static boolean owns(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    ApiResponse serve(ApiRequest request) {
        if (!request.method().equals("GET")) {
            throw ApiException.methodNotAllowed(request.method(), request.path(), List.of("GET"));
        }
        if (request.path().equals(PREFIX + "/")) {
            // Relative, so it works under any base path; the browser keeps the #fragment (the token).
            return new ApiResponse(308, Map.of("location", "../portal", "cache-control", "no-store"), "");
        }
        Asset asset = assets.get(request.path());
        if (asset == null) {
            throw ApiException.notFound("no such portal file: " + request.path());
        }
        Map<String, String> headers = new HashMap<>(securityHeaders);
        headers.put("content-type", asset.contentType());
        headers.put("cache-control", asset.cacheControl());
        return new ApiResponse(200, headers, asset.body());
    }

    private static String read(String file) {
        return ApiDescription.text("/portal/" + file);
    }

    private static String contentType(String file) {
        return file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    }

    private static String shortHash(String body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
