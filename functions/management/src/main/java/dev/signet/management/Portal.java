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
 * The embedded portal (issue 4): static files from {@code portal/} on the classpath, and a small
 * stylesheet made at start from the operator's accent colour, served at {@code /portal}. The page holds no data of its own: it reads the session token from the URL
 * fragment and calls the public API with it, so nothing here is per workspace.
 *
 * <p>Every response carries a Content-Security-Policy that lets the page load and call only Signet
 * itself ({@code 'self'}: no inline script, no CDN, no third-party connection) and that allows framing
 * only by the origins configured for the deployment ({@code SIGNET_PORTAL_FRAME_ANCESTORS}).
 */
final class Portal {
    static final String PREFIX = "/portal";
    private static final String[] FILES = {"portal.js", "portal.css", "favicon.svg"};
    private static final String THEME = "theme.css";

    /** One file, ready to send. */
    private record Asset(String contentType, String body, String cacheControl) {
    }

    private final Map<String, Asset> assets = new HashMap<>();
    private final Map<String, String> securityHeaders;

    Portal(String frameAncestors) {
        this(frameAncestors, null, null);
    }

    /**
     * @param accent      the operator's accent colour, {@code #rrggbb} (checked by SignetConfig), or null
     * @param productName the product name shown above the title (checked by SignetConfig), or null
     */
    Portal(String frameAncestors, String accent, String productName) {
        this.securityHeaders = Map.of(
                "content-security-policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " + frameAncestors,
                "x-content-type-options", "nosniff",
                "referrer-policy", "no-referrer",
                "cross-origin-resource-policy", "same-origin");
        String index = read("index.html");
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        for (String file : FILES) {
            bodies.put(file, read(file));
        }
        bodies.put(THEME, theme(accent));
        for (Map.Entry<String, String> f : bodies.entrySet()) {
            String file = f.getKey();
            assets.put(PREFIX + "/" + file, new Asset(contentType(file), f.getValue(), "public, max-age=31536000, immutable"));
            // The page names each file with its content hash, so a cached copy is never stale.
            index = index.replace("{{" + file + "}}", "portal/" + file + "?v=" + shortHash(f.getValue()));
        }
        index = index.replace("{{title}}", productName == null ? "Webhooks" : "Webhooks · " + escape(productName))
                .replace("{{product-name}}", productName == null ? "" : escape(productName));
        if (productName != null) {
            index = index.replace("id=\"brand\" class=\"brand\" hidden", "id=\"brand\" class=\"brand\"");
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
        if (file.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    }

    /** Text for an HTML element's content; the settings allow none of these, this is the second fence. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /**
     * The stylesheet that applies the operator's accent colour (portal.css defines Signet's): the colour
     * for fills, a readable text colour on it, and for text and outlines a shade that keeps contrast on
     * the light and on the dark background.
     */
    static String theme(String accent) {
        if (accent == null) {
            return "/* No accent colour configured (SIGNET_PORTAL_ACCENT): portal.css has Signet's own. */\n";
        }
        int r = Integer.parseInt(accent.substring(1, 3), 16);
        int g = Integer.parseInt(accent.substring(3, 5), 16);
        int b = Integer.parseInt(accent.substring(5, 7), 16);
        double l = luminance(r, g, b);
        String onAccent = (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) ? "#ffffff" : "#000000";
        // On white, text needs a dark enough shade; on the dark background a light enough one.
        String lightText = l > 0.18 ? mix(r, g, b, 0, 1 - 0.18 / l * 0.9) : accent;
        String darkText = mix(r, g, b, 255, l < 0.3 ? 0.45 : 0.15);
        return ":root { --accent: " + accent + "; --accent-fg: " + onAccent + "; --accent-text: " + lightText + "; }\n"
                + "@media (prefers-color-scheme: dark) {\n  :root { --accent: " + accent + "; --accent-fg: " + onAccent
                + "; --accent-text: " + darkText + "; }\n}\n";
    }

    private static double luminance(int r, int g, int b) {
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    }

    private static double linear(int c) {
        double v = c / 255.0;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    /** The colour moved {@code share} of the way towards grey level {@code to} (0 black, 255 white). */
    private static String mix(int r, int g, int b, int to, double share) {
        double s = Math.max(0, Math.min(1, share));
        return String.format("#%02x%02x%02x", (int) Math.round(r + (to - r) * s), (int) Math.round(g + (to - g) * s),
                (int) Math.round(b + (to - b) * s));
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
