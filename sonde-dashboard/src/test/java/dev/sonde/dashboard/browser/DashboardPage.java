package dev.sonde.dashboard.browser;

import dev.sonde.fixtures.TargetJvm;
import dev.sonde.dashboard.Dashboard;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The dashboard's page in a browser, as a test reads it. The page re-renders its tables at every poll round, so
 * tables are read in one script call (a consistent copy) rather than element by element.
 */
final class DashboardPage {

    /** Generous: the machine running the tests is small and busy. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final WebDriver driver;
    private final Dashboard dashboard;

    DashboardPage(WebDriver driver, Dashboard dashboard) {
        this.driver = driver;
        this.dashboard = dashboard;
    }

    WebDriver driver() {
        return driver;
    }

    /** The dashboard's address without the token. */
    String base() {
        return "http://127.0.0.1:" + dashboard.port() + "/";
    }

    /** Opens the page with the token (which becomes a cookie) and waits until the page has loaded. */
    DashboardPage open() {
        driver.get(dashboard.url());
        until("the page to load", d -> Boolean.TRUE.equals(js("return document.readyState === 'complete' && !!document.querySelector('#jvms')")));
        return this;
    }

    /** Clicks the JVM's row and waits until its detail (title with its pid) is shown. */
    DashboardPage select(TargetJvm jvm) {
        By row = By.cssSelector("#jvms tr[data-jvm='pid-" + jvm.pid() + "']");
        until("JVM " + jvm.pid() + " to be listed and shown in detail", d -> {
            try {
                d.findElement(row).click();
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException notYet) {
                return false;
            }
            return text("#jvm-title").endsWith(" " + jvm.pid());
        });
        return this;
    }

    /** Marks the document, so a test can tell later that the page was not reloaded in between. */
    void markDocument() {
        js("window.sondeTestMark = 'still the same document';");
    }

    boolean stillMarked() {
        return "still the same document".equals(js("return window.sondeTestMark || null;"));
    }

    /** The text of the first element matching the selector, or "" when there is none. */
    String text(String selector) {
        Object text = js("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';", selector);
        return text == null ? "" : text.toString().trim();
    }

    /** The cells' text of the table's body rows; the "nothing yet" row (a single hint cell) is left out. */
    @SuppressWarnings("unchecked")
    List<List<String>> rows(String tableSelector) {
        return (List<List<String>>) js("""
                return [...document.querySelectorAll(arguments[0] + ' tbody tr')]
                  .filter(tr => !(tr.cells.length === 1 && tr.cells[0].classList.contains('hint')))
                  .map(tr => [...tr.cells].map(td => td.textContent.trim()));""", tableSelector);
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Waits for the condition; the failure names what was awaited. */
    <T> T until(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, DEADLINE, Duration.ofMillis(200)).withMessage("waiting for " + what).until(condition);
    }

    <T> T until(String what, Duration deadline, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, deadline, Duration.ofMillis(200)).withMessage("waiting for " + what).until(condition);
    }

    /** A whole number as the page formats it (toLocaleString: "1,234"). */
    static long count(String shown) {
        String digits = shown.replaceAll("[^0-9]", "");
        if (digits.isEmpty()) {
            throw new AssertionError("'" + shown + "' is not a count");
        }
        return Long.parseLong(digits);
    }
}
