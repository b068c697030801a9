package org.omamori.portal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium driven by Debian's ChromeDriver (installed by scripts/browser.sh), headless,
 * with a fresh profile and no background traffic (the machine's network is closed).
 */
final class Browser implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1366, 900);
    static final Dimension PHONE = new Dimension(390, 844);

    final ChromeDriver driver;
    final String base;
    private final Path screenshots;

    Browser(String base, Path profile, Path screenshots) throws IOException, InterruptedException {
        this.base = base;
        this.screenshots = screenshots;
        Path root = Path.of("..").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", root.resolve("scripts/browser.sh").toString(), "install")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("scripts/browser.sh install failed:\n" + out);
        }
        Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--lang=ja-JP", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
    }

    void open(String path) {
        driver.get(base + path);
        waitForVaadin();
    }

    /** Vaadin has answered every pending server round trip. */
    void waitForVaadin() {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(driver.executeScript(
                "if (!window.Vaadin || !window.Vaadin.Flow || !window.Vaadin.Flow.clients) return false;"
                        + "var c = window.Vaadin.Flow.clients; for (var k in c) { if (c[k].isActive && c[k].isActive()) return false; }"
                        + "return document.readyState === 'complete';")));
    }

    WebElement byId(String id) {
        return new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }

    void type(String id, String text) {
        WebElement input = byId(id).findElement(By.cssSelector("input, textarea"));
        input.clear();
        input.sendKeys(text);
    }

    /** Picks the item a combo box shows for {@code text}: typed, then Enter. */
    void choose(String id, String text) {
        WebElement input = byId(id).findElement(By.cssSelector("input"));
        input.clear();
        input.sendKeys(text);
        waitForVaadin();
        input.sendKeys(org.openqa.selenium.Keys.ENTER);
        waitForVaadin();
    }

    /** Sets a Vaadin field's value as its web component takes it (ISO dates and times for pickers); Flow syncs it. */
    void setValue(String id, String value) {
        driver.executeScript("arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new CustomEvent('change', {bubbles: true}));", byId(id), value);
        waitForVaadin();
    }

    void click(String id) {
        WebElement e = byId(id);
        // Centred first: on a long page the element may sit under the bottom edge or the app layout's fixed parts.
        driver.executeScript("arguments[0].scrollIntoView({block: 'center'});", e);
        e.click();
        waitForVaadin();
    }

    /** The sign-in page's first step: user ID and password. */
    void signIn(String loginId, String password) {
        open("signin");
        type("login-id", loginId);
        type("password", password);
        click("signin-submit");
    }

    /** The first sign-in's own user ID and new password (typed twice); the second step comes next. */
    void chooseCredentials(String loginId, String password) {
        type("new-login-id", loginId);
        type("new-password", password);
        type("new-password-repeat", password);
        click("welcome-next");
    }

    /** Picks a radio button of a group by its label. */
    void radio(String groupId, String label) {
        for (WebElement r : byId(groupId).findElements(By.tagName("vaadin-radio-button"))) {
            if (r.getText().contains(label)) {
                r.click();
                waitForVaadin();
                return;
            }
        }
        throw new AssertionError("no radio button '" + label + "' in " + groupId);
    }

    /**
     * The element's rendered text (innerText: what CSS shows, wherever it is scrolled; WebDriver's
     * getText leaves out what a scrolled container hides).
     */
    String text(String id) {
        return (String) driver.executeScript("return arguments[0].innerText;", byId(id));
    }

    String page() {
        return (String) driver.executeScript("return document.body.innerText;");
    }

    /**
     * All the page's text, shown or not (textContent): e.g. the navigation's labels while its drawer
     * is closed, as it can be for a moment after {@link #screenshots} went to the phone's size and back.
     */
    String allText() {
        return (String) driver.executeScript("return document.body.textContent;");
    }

    String path() {
        return driver.getCurrentUrl().substring(base.length());
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Saves the page at desktop and phone sizes under target/screenshots. */
    void screenshots(String name) throws IOException {
        for (var size : List.of(DESKTOP, PHONE)) {
            driver.manage().window().setSize(size);
            waitForVaadin();
            byte[] png = driver.getScreenshotAs(OutputType.BYTES);
            Files.write(screenshots.resolve(name + (size == DESKTOP ? "-desktop" : "-phone") + ".png"), png);
        }
        driver.manage().window().setSize(DESKTOP);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
