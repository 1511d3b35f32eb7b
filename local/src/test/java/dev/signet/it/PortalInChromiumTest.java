package dev.signet.it;

import com.sun.net.httpserver.HttpServer;
import dev.signet.local.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded portal end to end (issue 4), in a real headless Chromium against local mode: the pages
 * Signet serves, the API they call with the session token alone, the delivery pipeline, and loopback
 * receivers. Screenshots of the main screens land in target/portal-screenshots/.
 */
@DisabledIfEnvironmentVariable(named = "SIGNET_SKIP_BROWSER_TESTS", matches = "1")
class PortalInChromiumTest {
    private static final String XSS = "<img src=x onerror=alert(1)>";

    /** The product's own page, on another origin, which embeds the portal in an iframe. */
    private static final ProductPage PRODUCT = new ProductPage();

    // Retries an hour apart: a failed attempt stays failed until the test retries it by hand. The
    // delivery function caches credentials for 1 s instead of 30, so a rotation takes effect quickly.
    @RegisterExtension
    static final Signet signet = new Signet("1h,1h", Map.of(
            "SIGNET_PORTAL_FRAME_ANCESTORS", PRODUCT.origin(),
            "SIGNET_CACHE_TTL_SECONDS", "1"));

    private static final AtomicInteger workspaces = new AtomicInteger();
    private static Browser browser;
    private PortalPage portal;
    private String workspace;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        PRODUCT.close();
    }

    @AfterEach
    void noScriptErrorsOrPolicyViolations() {
        browser.resize(1280, 900);
        List<String> problems = browser.consoleProblems().stream()
                .filter(m -> m.contains("Content Security Policy") || m.contains("Uncaught") || m.contains("TypeError"))
                .filter(m -> !m.contains("frame-ancestors")) // the framing test provokes that one on purpose
                .toList();
        assertThat(problems).as("console errors").isEmpty();
    }

    /** A new workspace and the portal_url of a session for it, as the product's backend would mint. */
    private String newSession() {
        String ws = "portal-" + workspaces.incrementAndGet();
        workspace = ws;
        ApiClient api = signet.api();
        ApiClient.Reply created = api.post("/v1/workspaces", signet.adminKey(), "{\"name\":\"Casterly " + ws + "\",\"id\":\"" + ws + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        ApiClient.Reply session = api.post("/v1/workspaces/" + ws + "/sessions", signet.adminKey(), "{\"ttl_seconds\":3600}");
        assertThat(session.status()).as(session.body()).isEqualTo(201);
        return session.text("portal_url");
    }

    private PortalPage openNewSession() {
        portal = new PortalPage(browser).open(newSession());
        return portal;
    }

    @Test
    void addsAnEndpointWithAGeneratedSecretShownOnceAndSeesItsTestEventSucceed() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            openNewSession();
            assertThat(browser.driver().getCurrentUrl()).as("the token leaves the address bar").doesNotContain("sgn_st_").doesNotContain("#");
            assertThat(browser.byId("no-endpoints").isDisplayed()).isTrue();
            browser.screenshot("01-endpoints-empty");

            portal.openAddEndpoint();
            browser.screenshot("02-add-endpoint");
            portal.fill("Endpoint URL", receiver.url());
            portal.click("Add endpoint");
            String secret = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("secret-value"))).getDomProperty("value");
            assertThat(secret).startsWith("whsec_");
            browser.screenshot("03-secret-shown-once");
            portal.click("Copy");
            browser.await(d -> !browser.byId("secret-copied").getText().isBlank());
            portal.dismissSecret();

            // Afterwards only the hint: the secret is in no element, attribute or value of the page.
            WebElement card = portal.card(receiver.url());
            assertThat(card.findElement(By.cssSelector("[data-secret-hint]")).getText())
                    .isEqualTo("whsec_\u2026" + secret.substring(secret.length() - 4));
            assertThat(browser.driver().getPageSource()).doesNotContain(secret.substring(6));
            assertThat(browser.byId("secret-value").getDomProperty("value")).isEmpty();

            WebElement result = portal.sendTestEvent(receiver.url());
            assertThat(result.getText()).contains("Succeeded").contains("HTTP 200").containsPattern("\\d+ ms");
            browser.screenshot("04-test-event-succeeded");

            // The secret the portal showed is the one that signs.
            TestReceiver.Received got = receiver.awaitRequests(1, Duration.ofSeconds(10)).getFirst();
            got.verify(secret);
            assertThat(got.bodyText()).contains("\"type\":\"order.completed\"");

            portal.tab("Delivery log");
            browser.await(d -> portal.logRows().size() == 1);
            assertThat(portal.logRows().getFirst().getText()).contains("Succeeded").contains("200").contains(receiver.url());
            browser.screenshot("05-delivery-log");
        }
    }

    @Test
    void rotatesTheSecretSoBothSignDuringTheGracePeriodThenOnlyTheNewOne() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            openNewSession();
            String first = portal.addEndpointWithGeneratedSecret(receiver.url());
            portal.dismissSecret();

            portal.clickOnCard(receiver.url(), "Rotate secret");
            browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-dialog")));
            assertThat(browser.byId("rotate-endpoint").getText()).contains("whsec_\u2026" + first.substring(first.length() - 4));
            assertThat(portal.labelled("Keep signing with the old secret for").getDomProperty("value")).isEqualTo("86400");
            browser.screenshot("06-rotate-secret");
            portal.click("Rotate secret");
            String second = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("secret-value"))).getDomProperty("value");
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            portal.dismissSecret();
            assertThat(portal.card(receiver.url()).findElement(By.cssSelector("[data-secret-hint]")).getText())
                    .isEqualTo("whsec_\u2026" + second.substring(second.length() - 4));

            assertThat(portal.sendTestEvent(receiver.url()).getText()).contains("Succeeded");
            TestReceiver.Received duringGrace = receiver.awaitRequests(1, Duration.ofSeconds(10)).getLast();
            assertThat(duringGrace.header("webhook-signature").split(" ")).hasSize(2);
            duringGrace.verify(first);
            duringGrace.verify(second);

            // Paste one's own secret, with no grace: the old ones stop at once, and nothing is shown.
            String own = "whsec_" + java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            portal.clickOnCard(receiver.url(), "Rotate secret");
            browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("rotate-dialog")));
            portal.labelled("Use my own secret").click();
            portal.fill("Secret", own);
            portal.choose("Keep signing with the old secret for", "None: retire the old secret now");
            portal.click("Rotate secret");
            browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("rotate-dialog")));
            assertThat(browser.byId("secret-dialog").isDisplayed()).isFalse();
            browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("announce"), "Secret rotated"));
            Thread.sleep(1500); // past the delivery function's credential cache (1 s here, 30 s by default)

            assertThat(portal.sendTestEvent(receiver.url()).getText()).contains("Succeeded");
            TestReceiver.Received after = receiver.awaitRequests(2, Duration.ofSeconds(10)).getLast();
            assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
            after.verify(own);
            assertThatThrownBy(() -> after.verify(second)).isInstanceOf(Exception.class);
        }
    }

    @Test
    void showsFailuresAsTextAndRetriesOne() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            receiver.answering(n -> new TestReceiver.Reply(500, Map.of("content-type", "text/html"), XSS));
            openNewSession();
            portal.addEndpointWithGeneratedSecret(receiver.url());
            portal.dismissSecret();

            WebElement result = portal.sendTestEvent(receiver.url());
            assertThat(result.getText()).contains("Failed").contains("HTTP 500");
            // The receiver's answer is shown as the characters it sent, never as markup.
            assertThat(result.findElement(By.cssSelector("pre")).getText()).isEqualTo(XSS);
            assertNoMarkupRan();
            browser.screenshot("07-test-event-failed-shown-as-text");

            portal.tab("Delivery log");
            portal.choose("Result", "Failed");
            String eventId = browser.await(d -> {
                List<WebElement> rows = portal.logRows();
                if (rows.size() != 1 || !rows.getFirst().getText().contains("Failed")) {
                    return null;
                }
                String id = rows.getFirst().findElement(By.cssSelector("code")).getText();
                rows.getFirst().findElement(By.xpath(".//button[normalize-space()='Details']")).click();
                return id;
            });
            browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("attempt-dialog")));
            assertThat(browser.byId("attempt-response").getText()).isEqualTo(XSS);
            browser.await(d -> browser.byId("attempt-payload").getText().contains("ord_lannister_77"));
            assertThat(browser.byId("attempt-fields").getText()).contains("500").contains(eventId);
            assertNoMarkupRan();
            browser.screenshot("08-attempt-detail");

            // The receiver is fixed; retrying sends the same message (same webhook-id) again.
            receiver.answering(n -> TestReceiver.Reply.status(204));
            portal.click("Retry delivery");
            browser.await(ExpectedConditions.textToBePresentInElementLocated(By.id("announce"), "Retry queued"));
            List<TestReceiver.Received> requests = receiver.awaitRequests(2, Duration.ofSeconds(20));
            assertThat(requests.get(1).header("webhook-id")).isEqualTo(requests.get(0).header("webhook-id"));

            portal.choose("Result", "Succeeded");
            // Until the filtered page is drawn, the failed attempt of the same event is still on screen.
            portal.awaitLog(rows -> rows.size() == 1 && rows.getFirst().getText().contains(eventId)
                    && rows.getFirst().getText().contains("Succeeded"));
            assertThat(portal.logRows().getFirst().getText()).contains("204");
            portal.choose("Result", "All results");
            portal.awaitLog(rows -> rows.size() == 2);
            browser.screenshot("09-delivery-log-after-retry");
        }
    }

    @Test
    void pagesThroughTheLogAndFiltersItByEndpoint() throws Exception {
        try (TestReceiver first = new TestReceiver(); TestReceiver second = new TestReceiver()) {
            openNewSession();
            portal.addEndpointWithGeneratedSecret(first.url());
            portal.dismissSecret();
            portal.addEndpointWithGeneratedSecret(second.url());
            portal.dismissSecret();
            // 27 attempts on the first endpoint and 2 on the second, sent through the API to save time.
            String token = sessionToken();
            String ep1 = portal.endpointId(first.url());
            String ep2 = portal.endpointId(second.url());
            for (int i = 0; i < 27; i++) {
                assertThat(signet.api().post("/v1/workspaces/" + workspace + "/endpoints/" + ep1 + "/test", token, "{}").status()).isEqualTo(202);
            }
            for (int i = 0; i < 2; i++) {
                assertThat(signet.api().post("/v1/workspaces/" + workspace + "/endpoints/" + ep2 + "/test", token, "{}").status()).isEqualTo(202);
            }
            first.awaitRequests(27, Duration.ofSeconds(30));
            second.awaitRequests(2, Duration.ofSeconds(30));

            portal.tab("Delivery log");
            portal.awaitLog(rows -> rows.size() == 25);
            WebElement more = browser.byId("log-more");
            assertThat(more.isDisplayed()).isTrue();
            more.click();
            browser.await(d -> portal.logRows().size() == 29);
            assertThat(more.isDisplayed()).as("no further page").isFalse();
            List<String> ids = portal.logRows().stream().map(r -> r.getAttribute("data-attempt")).toList();
            assertThat(ids).doesNotHaveDuplicates();
            assertThat(ids).isSortedAccordingTo(java.util.Comparator.reverseOrder());

            portal.choose("Endpoint", second.url());
            browser.await(d -> portal.logRows().size() == 2);
            assertThat(portal.logRows()).allSatisfy(r -> assertThat(r.getText()).contains(second.url()));
            assertThat(browser.byId("log-more").isDisplayed()).isFalse();
        }
    }

    private String sessionToken() {
        ApiClient.Reply session = signet.api().post("/v1/workspaces/" + workspace + "/sessions", signet.adminKey(), "{\"ttl_seconds\":600}");
        return session.text("token");
    }

    @Test
    void showsEachApiErrorNextToTheFieldItConcerns() {
        openNewSession();
        portal.openAddEndpoint();
        portal.fill("Endpoint URL", "ftp://hooks.example.com/signet");
        portal.click("Add endpoint");
        WebElement urlError = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("ep-url-error")));
        assertThat(urlError.getText()).isNotBlank();
        WebElement url = portal.labelled("Endpoint URL");
        assertThat(url.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(url.getAttribute("aria-describedby")).contains("ep-url-error");
        assertThat(browser.driver().switchTo().activeElement()).isEqualTo(url);
        browser.screenshot("10-field-error");

        portal.fill("Endpoint URL", "http://127.0.0.1:9/hooks");
        portal.click("Add header");
        portal.fill("Header 1 name", "x team");
        portal.fill("Header 1 value", "billing");
        portal.click("Add endpoint");
        WebElement headerError = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("ep-headers-error")));
        assertThat(headerError.getText()).contains("x team");
        assertThat(browser.byId("ep-url-error").isDisplayed()).as("the fixed field's error is gone").isFalse();

        // Nothing was half-written: the workspace still has no endpoint.
        portal.click("Cancel");
        assertThat(browser.driver().findElements(By.cssSelector("#endpoint-list li"))).isEmpty();
    }

    @Test
    void editsEveryFieldAndTheNextRequestFollowsThenDisablesAndDeletes() throws Exception {
        try (TestReceiver receiver = new TestReceiver()) {
            openNewSession();
            String secret = portal.addEndpointWithGeneratedSecret(receiver.url());
            portal.dismissSecret();

            portal.clickOnCard(receiver.url(), "Edit");
            browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("endpoint-dialog")));
            assertThat(browser.byId("ep-secret-fields").isDisplayed()).as("a secret is rotated, not edited").isFalse();
            portal.fill("Description (optional)", "Billing receiver");
            portal.choose("HTTP method", "PUT");
            portal.choose("Payload format", "Raw payload");
            portal.fill("Timeout (seconds)", "5");
            portal.fill("Event types", "order.refunded, order.completed");
            portal.click("Add header");
            portal.fill("Header 1 name", "x-team");
            portal.fill("Header 1 value", "billing");
            portal.choose("Type", "Bearer token");
            portal.fill("Token", "tok-123");
            portal.click("Save changes");
            browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("endpoint-dialog")));

            String card = browser.await(d -> {
                String text = portal.card(receiver.url()).getText();
                return text.contains("Billing receiver") ? text : null;
            });
            assertThat(card).contains("PUT").contains("Raw payload").contains("order.refunded, order.completed")
                    .contains("x-team: billing").contains("Bearer token").contains("5 s").doesNotContain("tok-123");

            assertThat(portal.sendTestEvent(receiver.url()).getText()).contains("Succeeded");
            TestReceiver.Received got = receiver.awaitRequests(1, Duration.ofSeconds(10)).getFirst();
            assertThat(got.method()).isEqualTo("PUT");
            assertThat(got.header("x-team")).isEqualTo("billing");
            assertThat(got.header("authorization")).isEqualTo("Bearer tok-123");
            // Raw format, and a test event of the first type the endpoint subscribes to.
            assertThat(got.bodyText()).isEqualTo("{\"example\":true,\"event\":\"order.refunded\"}");
            got.verify(secret);

            // Saving again without touching the credentials keeps them.
            portal.clickOnCard(receiver.url(), "Edit");
            browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("endpoint-dialog")));
            assertThat(portal.labelled("Token").getDomProperty("value")).isEmpty();
            portal.fill("Description (optional)", "Billing receiver v2");
            portal.click("Save changes");
            browser.await(d -> portal.card(receiver.url()).getText().contains("Billing receiver v2"));
            portal.sendTestEvent(receiver.url());
            assertThat(receiver.awaitRequests(2, Duration.ofSeconds(10)).getLast().header("authorization")).isEqualTo("Bearer tok-123");

            portal.clickOnCard(receiver.url(), "Disable");
            browser.await(d -> portal.card(receiver.url()).getText().contains("Disabled"));
            // Focus stays on the toggle, now offering the opposite.
            browser.await(d -> "Enable".equals(d.switchTo().activeElement().getText()));
            WebElement send = portal.card(receiver.url()).findElement(By.xpath(".//button[normalize-space()='Send test event']"));
            assertThat(send.isEnabled()).isFalse();
            portal.clickOnCard(receiver.url(), "Enable");
            browser.await(d -> portal.card(receiver.url()).getText().contains("Enabled"));

            String endpointId = portal.endpointId(receiver.url());
            portal.clickOnCard(receiver.url(), "Delete");
            browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("delete-dialog")));
            portal.click("Delete endpoint");
            browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("no-endpoints")));
            assertThat(signet.api().get("/v1/workspaces/" + workspace + "/endpoints/" + endpointId, signet.adminKey()).status()).isEqualTo(404);
        }
    }

    @Test
    void anEndedOrMissingSessionSaysSoClearly() {
        String portalUrl = newSession();
        String base = portalUrl.substring(0, portalUrl.indexOf('#'));

        browser.open(base + "#token=sgn_st_this-session-has-expired&workspace=" + workspace);
        WebElement ended = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("ended")));
        assertThat(ended.getText()).contains("expired").contains("Open this page again from your application");
        assertThat(browser.byId("tabs").isDisplayed()).isFalse();
        browser.screenshot("11-session-expired");

        browser.open(base);
        assertThat(browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("ended"))).getText())
                .contains("opens from your application");

        // The page's own clock: the session ends while it is open.
        String soon = java.time.Instant.now().plusSeconds(2).toString();
        browser.open(portalUrl.replaceAll("expires=[^&]*", "expires=" + soon));
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("view-endpoints")));
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("ended")));
        assertThat(browser.byId("view-endpoints").isDisplayed()).isFalse();
    }

    @Test
    void embedsInAFrameOnlyOnTheConfiguredOrigins() {
        String portalUrl = newSession();
        PRODUCT.embed(portalUrl);

        browser.open(PRODUCT.origin() + "/settings/webhooks");
        browser.driver().switchTo().frame("signet-portal");
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("view-endpoints")));
        assertThat(browser.byId("title").getText()).startsWith("Webhooks for Casterly");
        browser.driver().switchTo().defaultContent();
        browser.screenshot("12-embedded-in-the-product");

        // The same page from an origin that is not configured: the browser refuses to frame the portal.
        browser.consoleProblems();
        browser.open(PRODUCT.origin().replace("127.0.0.1", "localhost") + "/settings/webhooks");
        browser.await(d -> browser.consoleProblems().stream().anyMatch(m -> m.contains("frame-ancestors")));
        browser.driver().switchTo().frame("signet-portal");
        assertThat(browser.driver().findElements(By.id("view-endpoints"))).isEmpty();
        browser.driver().switchTo().defaultContent();
    }

    @Test
    void worksWithTheKeyboardAndLabelsAndOnANarrowScreen() {
        openNewSession();
        // Every control has an accessible name: a label, or an aria-label.
        Object unlabelled = browser.js("return [...document.querySelectorAll('input, select, textarea, button')]"
                + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())"
                + ".map(e => e.id || e.outerHTML)");
        assertThat((List<?>) unlabelled).isEmpty();

        // Add an endpoint with the keyboard alone.
        browser.js("document.getElementById('add-endpoint').focus()");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("endpoint-dialog")));
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("ep-url");
        browser.driver().switchTo().activeElement().sendKeys("http://127.0.0.1:9/keyboard");
        browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        assertThat(browser.driver().switchTo().activeElement().getAttribute("id")).isEqualTo("ep-description");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("secret-dialog")));
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("secret-dialog")));
        portal.card("http://127.0.0.1:9/keyboard");
        assertThat(browser.driver().switchTo().activeElement().getText()).isEqualTo("Send test event");

        browser.resize(390, 844);
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scrolling").isTrue();
        browser.screenshot("13-narrow-endpoints");
        portal.tab("Delivery log");
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
        portal.tab("Verifying requests");
        assertThat((Boolean) browser.js("return document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    }

    @Test
    void offersV1aMutualTlsAndOAuth2AndShowsThePublicKeyWithACopyButton() throws Exception {
        var certificate = TlsReceiver.AUTHORITY.issue("portal-mtls", dev.signet.testkit.TestPki.Usage.CLIENT,
                dev.signet.testkit.TestPki.KeyType.EC);
        try (TestReceiver receiver = new TestReceiver();
             TokenEndpoint tokens = new TokenEndpoint("portal-client", "cs-portal-secret-3131", "tok-portal", 3600)) {
            openNewSession();
            portal.openAddEndpoint();
            portal.fill("Endpoint URL", receiver.url());
            portal.choose("Signature scheme", "v1a: Ed25519 key pair (you verify with a public key)");
            assertThat(browser.byId("ep-secret-generate").isDisplayed()).as("a v1a endpoint has no secret to choose").isFalse();
            portal.choose("Type", "OAuth2 client credentials");
            portal.fill("Token URL", tokens.url());
            portal.fill("Client ID", "portal-client");
            portal.fill("Client secret", "cs-portal-secret-3131");
            portal.fill("Scope (optional)", "webhooks:write");
            portal.fill("Certificate chain (PEM)", certificate.chainPem());
            portal.fill("Private key (PEM)", certificate.privateKeyPem());
            browser.screenshot("15-add-endpoint-v1a-mtls-oauth2");
            portal.click("Add endpoint");

            WebElement card = portal.card(receiver.url());
            String id = card.getAttribute("data-endpoint");
            var read = signet.api().get("/v1/workspaces/" + workspace + "/endpoints/" + id, signet.adminKey()).json();
            assertThat(read.path("signature_scheme").asText()).isEqualTo("v1a");
            assertThat(read.path("auth").path("type").asText()).isEqualTo("oauth2_client_credentials");
            assertThat(read.path("tls_client_certificate").path("subject").asText()).isEqualTo("CN=portal-mtls,O=Signet tests");
            String publicKey = read.path("public_key").asText();
            WebElement shown = card.findElement(By.cssSelector("[data-public-key]"));
            assertThat(shown.findElement(By.tagName("pre")).getText()).isEqualTo(publicKey).startsWith("whpk_");
            WebElement copy = shown.findElement(By.xpath(".//button[normalize-space()='Copy']"));
            copy.click();
            browser.await(d -> !copy.getText().equals("Copy"));
            assertThat(card.findElement(By.cssSelector("[data-client-certificate]")).getText()).contains("CN=portal-mtls");
            assertThat(card.getText()).contains("OAuth2 client credentials");
            String page = browser.driver().getPageSource();
            assertThat(page).as("nothing secret stays in the page").doesNotContain("cs-portal-secret-3131")
                    .doesNotContain(certificate.privateKeyPem().split("\n")[1]);
            browser.screenshot("16-v1a-endpoint-public-key");

            WebElement result = portal.sendTestEvent(receiver.url());
            assertThat(result.getText()).contains("Succeeded");
            TestReceiver.Received got = receiver.awaitRequests(1, Duration.ofSeconds(10)).getFirst();
            assertThat(got.header("authorization")).isEqualTo("Bearer tok-portal-1");
            assertThat(got.header("webhook-signature")).startsWith("v1a,");

            // Rotating a v1a endpoint: no secret to choose, the new public key replaces the old one on the card.
            portal.clickOnCard(receiver.url(), "Rotate key pair");
            assertThat(browser.byId("rotate-generate").isDisplayed()).isFalse();
            portal.click("Rotate key pair");
            browser.await(d -> {
                var now = signet.api().get("/v1/workspaces/" + workspace + "/endpoints/" + id, signet.adminKey()).json();
                return !now.path("public_key").asText().equals(publicKey) ? now : null;
            });
            String rotated = signet.api().get("/v1/workspaces/" + workspace + "/endpoints/" + id, signet.adminKey()).json()
                    .path("public_key").asText();
            browser.await(d -> portal.card(receiver.url()).findElement(By.cssSelector("[data-public-key] pre")).getText().equals(rotated));
        }
    }

    @Test
    void explainsHowToVerifyARequest() {
        openNewSession();
        portal.tab("Verifying requests");
        WebElement help = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("view-verify")));
        assertThat(help.getText()).contains("webhook-id").contains("webhook-timestamp").contains("webhook-signature")
                .contains("Verify the raw body").contains("Node.js").contains("Java").contains("Python");
        List<String> snippets = help.findElements(By.cssSelector("pre code")).stream().map(WebElement::getText).toList();
        assertThat(snippets).hasSize(3);
        assertThat(snippets.get(0)).contains("from \"standardwebhooks\"").contains("express.raw");
        assertThat(snippets.get(1)).contains("com.standardwebhooks.Webhook");
        assertThat(snippets.get(2)).contains("from standardwebhooks.webhooks import Webhook").contains("request.get_data()");
        browser.screenshot("14-verification-help");
    }

    private static void assertNoMarkupRan() {
        assertThat(browser.driver().findElements(By.tagName("img"))).isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }


    /** The product's settings page on its own origin (another port): an iframe with a portal_url. */
    private static final class ProductPage implements AutoCloseable {
        private final HttpServer server;
        private volatile String portalUrl = "about:blank";

        ProductPage() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                String page = "<!doctype html><html lang=en><head><meta charset=utf-8><title>Casterly settings</title></head>"
                        + "<body><h1>Casterly: settings</h1><iframe name=signet-portal title=Webhooks width=1200 height=700 src=\""
                        + portalUrl.replace("&", "&amp;").replace("\"", "&quot;") + "\"></iframe></body></html>";
                byte[] body = page.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("content-type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void embed(String url) {
            this.portalUrl = url;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
