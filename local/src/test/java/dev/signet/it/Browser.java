package dev.signet.it;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's chromium, driven through its chromedriver; installed by
 * scripts/install-browser) for the portal's end-to-end tests. Never downloads a browser.
 */
final class Browser implements AutoCloseable {
    /** Where screenshots of the main screens go (a test artifact, see README.md). */
    static final Path SCREENSHOTS = Path.of("target", "portal-screenshots");

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> console = new ArrayList<>();

    Browser() {
        String chromium = System.getenv().getOrDefault("SIGNET_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = System.getenv().getOrDefault("SIGNET_CHROMEDRIVER", "/usr/bin/chromedriver");
        if (!new File(chromium).canExecute() || !new File(chromedriver).canExecute()) {
            throw new IllegalStateException("the portal's browser tests need Chromium at " + chromium + " and ChromeDriver at "
                    + chromedriver + ": run scripts/install-browser (scripts/test does), or set SIGNET_CHROMIUM and SIGNET_CHROMEDRIVER");
        }
        try {
            profile = Files.createTempDirectory("signet-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // No background traffic: this machine's network is closed and only loopback is used.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Loads the URL as a new document: another portal_url differs from the page shown only in its
     * #fragment, which a browser would otherwise treat as a jump within the same page.
     */
    void open(String url) {
        driver.get("about:blank");
        driver.get(url);
    }

    WebElement find(By by) {
        return driver.findElement(by);
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /**
     * Waits up to 30 s for the condition (the delivery pipeline runs between a click and its result).
     * The portal redraws lists when data arrives, so an element found a moment ago may be gone: such a
     * look is simply tried again.
     */
    <T> T await(ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
    }

    /** Saves a PNG of the current viewport as target/portal-screenshots/{name}.png. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console messages at warning level or above since the last call (CSP violations land here). */
    List<String> consoleProblems() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                console.add(e.getMessage());
            }
        }
        List<String> out = List.copyOf(console);
        console.clear();
        return out;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
