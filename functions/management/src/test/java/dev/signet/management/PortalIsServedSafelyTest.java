package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.api.ApiResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The portal's files as Signet serves them (issue 4): a policy that lets the page load and call
 * nothing but Signet, framing only for the configured origins, and pages that reference nothing from
 * anywhere else. The browser side of the same promises is PortalInChromiumTest.
 */
class PortalIsServedSafelyTest {
    private final Portal portal = new Portal("https://app.example.com https://*.example.org");

    private static ApiRequest get(String path) {
        return new ApiRequest("GET", path, Map.of(), Map.of(), new byte[0], "test");
    }

    @Test
    void thePageComesWithAPolicyThatAllowsOnlySignetAndTheConfiguredFramers() {
        ApiResponse page = portal.serve(get("/portal"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.headers()).containsEntry("content-type", "text/html; charset=utf-8")
                .containsEntry("cache-control", "no-store")
                .containsEntry("x-content-type-options", "nosniff")
                .containsEntry("referrer-policy", "no-referrer");
        assertThat(page.headers().get("content-security-policy")).isEqualTo(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
                        + "base-uri 'none'; form-action 'none'; frame-ancestors https://app.example.com https://*.example.org");
        assertThat(new Portal("'none'").serve(get("/portal")).headers().get("content-security-policy"))
                .endsWith("frame-ancestors 'none'");
    }

    @Test
    void filesAreNamedByTheirContentSoACachedCopyIsNeverStale() {
        String page = portal.serve(get("/portal")).body();
        Matcher m = Pattern.compile("(?:src|href)=\"portal/((?:portal|theme|favicon)\\.(?:js|css|svg))\\?v=([0-9a-f]{12})\"").matcher(page);
        List<String> files = new ArrayList<>();
        while (m.find()) {
            files.add(m.group(1));
            ApiResponse asset = portal.serve(get("/portal/" + m.group(1)));
            assertThat(asset.status()).isEqualTo(200);
            assertThat(asset.headers().get("cache-control")).contains("immutable");
            assertThat(asset.headers().get("content-security-policy")).contains("default-src 'none'");
            assertThat(asset.headers().get("content-type")).startsWith(m.group(1).endsWith(".js") ? "text/javascript"
                    : m.group(1).endsWith(".svg") ? "image/svg+xml" : "text/css");
        }
        assertThat(files).containsExactlyInAnyOrder("portal.js", "portal.css", "theme.css", "favicon.svg");
        assertThat(page).doesNotContain("{{");
    }

    @Test
    void nothingIsLoadedFromAnywhereButSignet() {
        String page = portal.serve(get("/portal")).body();
        // Every src= and every stylesheet/script href is relative: no CDN, no web font.
        Matcher loads = Pattern.compile("<(?:script|link|img|iframe|source)[^>]*\\s(?:src|href)=\"([^\"]*)\"").matcher(page);
        int n = 0;
        while (loads.find()) {
            n++;
            assertThat(loads.group(1)).doesNotContain("//").doesNotStartWith("/");
        }
        assertThat(n).isEqualTo(4);
        for (String sheet : List.of("/portal/portal.css", "/portal/theme.css")) {
            String css = portal.serve(get(sheet)).body();
            assertThat(css).doesNotContain("url(").doesNotContain("@import").doesNotContain("@font-face");
        }
        assertThat(portal.serve(get("/portal/favicon.svg")).body()).doesNotContain("<script").doesNotContain("href");
        String js = portal.serve(get("/portal/portal.js")).body();
        assertThat(js).doesNotContain("import ").doesNotContain("innerHTML").doesNotContain("outerHTML")
                .doesNotContain("insertAdjacentHTML").doesNotContain("document.write").doesNotContain("eval(")
                .doesNotContain("localStorage").doesNotContain("sessionStorage").doesNotContain("console.");
        // fetch only ever goes to Signet's own API, relative to where the page was served.
        Matcher fetches = Pattern.compile("fetch\\(([^,]*),").matcher(js);
        assertThat(fetches.find()).isTrue();
        assertThat(fetches.group(1)).startsWith("apiBase + ");
        assertThat(fetches.find()).isFalse();
    }

    @Test
    void theOperatorsAccentAndProductNameAreAColourRuleAndEscapedText() {
        Portal branded = new Portal("'none'", "#0b7a75", "Highgarden & Co.");
        String page = branded.serve(get("/portal")).body();
        assertThat(page).contains("<title>Webhooks · Highgarden &amp; Co.</title>")
                .contains("<p id=\"brand\" class=\"brand\">Highgarden &amp; Co.</p>");
        Matcher theme = Pattern.compile("href=\"(portal/theme\\.css\\?v=[0-9a-f]{12})\"").matcher(page);
        assertThat(theme.find()).isTrue();
        String css = branded.serve(get("/portal/theme.css")).body();
        assertThat(css).contains("--accent: #0b7a75;").contains("--accent-fg: #ffffff;").contains("prefers-color-scheme: dark");
        // A light accent gets dark text on it.
        assertThat(Portal.theme("#f5d90a")).contains("--accent-fg: #000000;");
        // Without settings: Signet's own look, the brand line hidden.
        String plain = portal.serve(get("/portal")).body();
        assertThat(plain).contains("<title>Webhooks</title>").contains("id=\"brand\" class=\"brand\" hidden");
        assertThat(portal.serve(get("/portal/theme.css")).body()).doesNotContain("--accent");
        assertThat(Portal.escape("<b onclick='x'>\"&")).isEqualTo("&lt;b onclick=&#39;x&#39;&gt;&quot;&amp;");
    }

    @Test
    void aTrailingSlashIsRedirectedRelativelyAndAnythingElseIsRefused() {
        ApiResponse slash = portal.serve(get("/portal/"));
        assertThat(slash.status()).isEqualTo(308);
        assertThat(slash.headers()).containsEntry("location", "../portal");
        assertThatThrownBy(() -> portal.serve(get("/portal/../../etc/passwd"))).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> portal.serve(get("/portal/index.html"))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> portal.serve(new ApiRequest("POST", "/portal", Map.of(), Map.of(), new byte[0], "t")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(405);
                    assertThat(e.headers()).containsEntry("allow", "GET");
                });
        assertThat(Portal.owns("/portal")).isTrue();
        assertThat(Portal.owns("/portal/portal.js")).isTrue();
        assertThat(Portal.owns("/portals")).isFalse();
        assertThat(Portal.owns("/v1/workspaces")).isFalse();
    }
}
