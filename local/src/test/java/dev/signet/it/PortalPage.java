package dev.signet.it;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.util.List;

/** What a customer does in the portal, in the words of its labels and buttons. */
final class PortalPage {
    private final Browser browser;

    PortalPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens a session's portal_url and waits for the endpoints screen. */
    PortalPage open(String portalUrl) {
        browser.open(portalUrl);
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("view-endpoints")));
        return this;
    }

    void tab(String name) {
        browser.find(By.xpath("//nav//button[normalize-space()='" + name + "']")).click();
    }

    void openAddEndpoint() {
        browser.byId("add-endpoint").click();
        browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("endpoint-dialog")));
    }

    /** Fills the endpoint form's URL (and anything else the caller set) and saves it. */
    void fill(String label, String value) {
        WebElement input = labelled(label);
        input.clear();
        input.sendKeys(value);
    }

    void choose(String label, String visibleText) {
        new Select(labelled(label)).selectByVisibleText(visibleText);
    }

    WebElement labelled(String label) {
        WebElement l = browser.find(By.xpath("//dialog[@open]//label[normalize-space()='" + label + "']"
                + " | //main//label[normalize-space()='" + label + "']"));
        return browser.byId(l.getAttribute("for"));
    }

    void click(String buttonText) {
        browser.find(By.xpath("//dialog[@open]//button[normalize-space()='" + buttonText + "']")).click();
    }

    /** Adds an endpoint with a generated secret; returns the secret the portal shows once. */
    String addEndpointWithGeneratedSecret(String url) {
        openAddEndpoint();
        fill("Endpoint URL", url);
        click("Add endpoint");
        WebElement secret = browser.await(ExpectedConditions.visibilityOfElementLocated(By.id("secret-value")));
        return secret.getDomProperty("value");
    }

    void dismissSecret() {
        click("I have saved it");
        browser.await(ExpectedConditions.invisibilityOfElementLocated(By.id("secret-dialog")));
    }

    /** The card of the endpoint with this URL, once listed. */
    WebElement card(String url) {
        return browser.await(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//li[@data-endpoint][.//h3[normalize-space()='" + url + "']]")));
    }

    String endpointId(String url) {
        return card(url).getAttribute("data-endpoint");
    }

    void clickOnCard(String url, String buttonText) {
        card(url).findElement(By.xpath(".//button[normalize-space()='" + buttonText + "']")).click();
    }

    /** Sends a test event from the card and waits for its first attempt's summary. */
    WebElement sendTestEvent(String url) {
        clickOnCard(url, "Send test event");
        return browser.await(d -> {
            List<WebElement> s = card(url).findElements(By.cssSelector(".test-result .summary"));
            return s.isEmpty() ? null : s.get(0);
        });
    }

    /** Presses the delivery log's Refresh about twice a second until its rows satisfy {@code done}. */
    void awaitLog(java.util.function.Predicate<List<WebElement>> done) {
        browser.await(d -> {
            List<WebElement> rows = logRows();
            if (done.test(rows)) {
                return true;
            }
            browser.byId("log-refresh").click();
            try {
                Thread.sleep(400);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        });
    }

    /** The delivery log's rows as shown, newest first. */
    List<WebElement> logRows() {
        return browser.driver().findElements(By.cssSelector("#log-rows tr"));
    }
}
