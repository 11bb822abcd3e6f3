package dev.sonde.dashboard.browser;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Headless Debian chromium driven through Debian's chromedriver. Both are given by path, so Selenium Manager
 * never tries to download a browser or driver (there is no network in CI); when either is missing the tests fail
 * and say how to install them rather than skipping.
 */
final class Chromium {

    static final Path BROWSER = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Chromium() {
    }

    /** A headless browser with the network as it is. */
    static ChromeDriver start() {
        return start(new ChromeOptions());
    }

    /**
     * A headless browser with every network request sent to a proxy on a closed port (loopback included), so a
     * page that needs anything beyond its own file cannot get it.
     */
    static ChromeDriver startOffline() {
        return start(new ChromeOptions().addArguments("--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"));
    }

    private static ChromeDriver start(ChromeOptions options) {
        for (Path needed : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(needed)) {
                throw new AssertionError(needed + " is missing: the dashboard's browser tests need Debian's chromium and its driver "
                        + "(apt-get install chromium chromium-driver).");
            }
        }
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1600,1400", "--no-first-run", "--no-default-browser-check", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        return new ChromeDriver(service, options);
    }

    /** Saves what the browser shows as target/screenshots/NAME.png. */
    static Path screenshot(WebDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the screenshot " + name, e);
        }
    }
}
