package dev.sonde.dashboard.browser;

import dev.sonde.dashboard.report.ReportRoutes;
import dev.sonde.fixtures.TargetJvm;
import dev.sonde.dashboard.Dashboard;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.dashboard.web.AccessToken;
import dev.sonde.dashboard.web.DashboardServer;
import dev.sonde.demo.OrderService;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's page in a real browser (headless Debian chromium), served by a real in-process Dashboard that
 * watches real JVMs started by the test: the demo order service (sonde-runtime: operations, scope violations,
 * leaks) and plain Sleeper fixtures. Every test leaves a screenshot in target/screenshots.
 */
class DashboardInBrowserTest {

    /** The watcher lists local JVMs every 3 s; on a busy machine a new JVM is allowed 15 s to show. */
    private static final Duration NEW_JVM_DEADLINE = Duration.ofSeconds(15);
    private static final Duration JMX_TIMEOUT = Duration.ofSeconds(10);

    private static final AccessToken token = AccessToken.random();
    private static TargetJvm demo;
    private static Dashboard dashboard;
    private static ChromeDriver browser;
    private static DashboardPage page;

    private final List<TargetJvm> started = new ArrayList<>();

    @BeforeAll
    static void startDemoDashboardAndBrowser() {
        demo = TargetJvm.startMain("order service started", OrderService.class);
        dashboard = Dashboard.start(new WatchSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMinutes(15), JMX_TIMEOUT,
                List.of(), 0.8, true), "127.0.0.1", 0, false, token, List.of(new ReportRoutes()));
        browser = Chromium.start();
        page = new DashboardPage(browser, dashboard);
    }

    @AfterAll
    static void stopAll() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (dashboard != null) {
                    dashboard.close();
                }
            } finally {
                if (demo != null) {
                    demo.close();
                }
            }
        }
    }

    @BeforeEach
    void openPage() {
        page.open();
    }

    @AfterEach
    void screenshotAndStopJvms(TestInfo test) {
        try {
            Chromium.screenshot(browser, test.getTestMethod().orElseThrow().getName());
        } finally {
            started.forEach(TargetJvm::close);
        }
    }

    @Test
    void withoutTheTokenTheApiAnswers401AndThePageShowsNoData() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("", "api/overview", "api/jvms/" + ("pid-" + demo.pid()), "api/events", "assets/app.js")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(page.base() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("/" + path + " without the token").isEqualTo(401);
            assertThat(response.body()).doesNotContain(Long.toString(demo.pid()));
        }
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(page.base() + "api/overview"))
                .header(AccessToken.HEADER, "not-the-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);

        browser.manage().deleteAllCookies();
        browser.get(page.base());
        String shown = page.until("the refusal", d -> {
            String body = page.text("body");
            return body.isEmpty() ? null : body;
        });
        assertThat(shown).startsWith("401").doesNotContain(Long.toString(demo.pid()));
        assertThat(browser.findElements(By.cssSelector("#jvms, #detail, canvas"))).isEmpty();
    }

    @Test
    void overviewListsTheDemoAndItsOperationCountsMatchTheRuntime() {
        page.select(demo);
        assertThat(page.text("#jvms tr[data-jvm='pid-" + demo.pid() + "']")).contains("OrderService · " + demo.pid());
        assertThat(browser.findElement(By.cssSelector("#jvms tr[data-jvm='pid-" + demo.pid() + "']")).getDomAttribute("data-status"))
                .isEqualTo("LIVE");

        Map<String, RuntimeSnapshot.OperationFigures> before = operations();
        assertThat(before).containsKeys("order", "order.validate", "order.pay");
        // The page shows the last poll round: wait for one taken after `before`, then `after` is later still.
        List<List<String>> shown = page.until("the operations table to catch up with the runtime", d -> {
            List<List<String>> rows = page.rows("#operations");
            Map<String, List<String>> byName = rows.stream().collect(Collectors.toMap(r -> r.get(0), r -> r, (a, b) -> a));
            boolean caughtUp = before.values().stream().allMatch(op -> byName.containsKey(op.name())
                    && DashboardPage.count(byName.get(op.name()).get(1)) >= op.started());
            return caughtUp ? rows : null;
        });
        Map<String, RuntimeSnapshot.OperationFigures> after = operations();

        assertThat(shown).hasSizeGreaterThanOrEqualTo(before.size());
        for (List<String> row : shown) {
            RuntimeSnapshot.OperationFigures early = before.get(row.get(0));
            RuntimeSnapshot.OperationFigures late = after.get(row.get(0));
            assertThat(late).as("operation %s in the later snapshot", row.get(0)).isNotNull();
            long startedShown = DashboardPage.count(row.get(1));
            long succeededShown = DashboardPage.count(row.get(3));
            long failedShown = DashboardPage.count(row.get(4));
            assertThat(startedShown).as("%s started", row.get(0)).isBetween(early == null ? 0 : early.started(), late.started());
            assertThat(succeededShown).as("%s succeeded", row.get(0)).isBetween(early == null ? 0 : early.succeeded(), late.succeeded());
            assertThat(failedShown).as("%s failed", row.get(0)).isBetween(early == null ? 0 : early.failed(), late.failed());
        }
        assertThat(shown.stream().filter(r -> r.get(0).equals("order")).findFirst().map(r -> DashboardPage.count(r.get(1))).orElseThrow())
                .isPositive();
    }

    @Test
    void chartsDrawTheJvmsHistory() {
        page.select(demo);
        long points = page.until("the throughput chart to hold more than one point", d -> {
            Object n = page.js("const c = state.charts.throughput; return c && c.data[0].length > 1"
                    + " && c.data[1].some(v => v != null) ? c.data[0].length : null;");
            return n == null ? null : ((Number) n).longValue();
        });
        assertThat(points).isGreaterThan(1);
        // The series line is drawn in its own colour (#58a6ff), which neither the axes nor the grid use.
        long linePixels = page.until("the throughput line to be drawn", d -> {
            Object n = page.js("""
                    const canvas = document.querySelector('#chart-throughput canvas');
                    if (!canvas) return null;
                    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    let n = 0;
                    for (let i = 0; i < px.length; i += 4) {
                      if (px[i + 3] > 128 && Math.abs(px[i] - 0x58) < 40 && Math.abs(px[i + 1] - 0xa6) < 40 && Math.abs(px[i + 2] - 0xff) < 40) n++;
                    }
                    return n > 20 ? n : null;""");
            return n == null ? null : ((Number) n).longValue();
        });
        assertThat(linePixels).isGreaterThan(20);
        assertThat(browser.findElements(By.cssSelector("#charts div.chart canvas")))
                .hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void aJvmStartedAfterThePageOpenedAppearsWithoutReload() {
        page.markDocument();
        TargetJvm sleeper = start(TargetJvm.startMain("sleeper up", Sleeper.class));
        long shownAfter = System.nanoTime();
        page.until("the new JVM " + sleeper.pid() + " to be listed (rescan every 3 s)", NEW_JVM_DEADLINE,
                d -> !d.findElements(By.cssSelector("#jvms tr[data-jvm='pid-" + sleeper.pid() + "']")).isEmpty());
        System.out.printf("browser: a new JVM appeared on the open page %d ms after it was ready%n",
                (System.nanoTime() - shownAfter) / 1_000_000);
        assertThat(page.stillMarked()).as("the page was not reloaded").isTrue();
    }

    @Test
    void scopeViolationsAppearLive() {
        page.select(demo);
        page.until("the violations table", d -> !page.rows("#violations").isEmpty());
        page.markDocument();
        long countAtOpen = violationCount();
        Set<String> rowsAtOpen = new HashSet<>(page.rows("#violations").stream().map(r -> String.join(" | ", r)).toList());

        List<String> fresh = page.until("a violation that was not on the page when it opened", d -> {
            List<String> now = page.rows("#violations").stream().map(r -> String.join(" | ", r)).filter(r -> !rowsAtOpen.contains(r)).toList();
            return now.isEmpty() ? null : now;
        });
        assertThat(fresh).allMatch(row -> row.contains("request")).anyMatch(row -> row.contains("WRONG_THREAD"));
        assertThat(violationCount()).isGreaterThan(countAtOpen);
        assertThat(page.stillMarked()).as("the page was not reloaded").isTrue();
    }

    @Test
    void aKilledJvmIsMarkedGone() {
        TargetJvm sleeper = start(TargetJvm.startMain("sleeper up", Sleeper.class));
        String row = "#jvms tr[data-jvm='pid-" + sleeper.pid() + "']";
        page.until("JVM " + sleeper.pid() + " to be listed live", d -> !d.findElements(By.cssSelector(row + "[data-status='LIVE']")).isEmpty());
        page.markDocument();
        sleeper.close();
        page.until("JVM " + sleeper.pid() + " to be marked gone", d -> !d.findElements(By.cssSelector(row + "[data-status='GONE']")).isEmpty());
        assertThat(page.text(row)).contains("gone");
        assertThat(page.stillMarked()).as("the page was not reloaded").isTrue();
    }

    @Test
    void aSettingChangedOnThePageIsInForceAndABadValueIsRefusedInOneSentence() {
        page.select(demo);
        page.until("the settings form", d -> !d.findElements(By.cssSelector("#settings-form #setting-key option")).isEmpty());

        apply("stacks.maxDepth", "lots");
        String refusal = page.until("the refusal", d -> {
            String text = page.text("#settings-result.error");
            return text.isEmpty() ? null : text;
        });
        assertThat(refusal).contains("stacks.maxDepth", "lots").endsWith(".");
        assertThat(refusal.split("\\. ")).as("one sentence: " + refusal).hasSize(1);
        assertThat(setting("stacks.maxDepth")).isEqualTo("32");

        String original = setting("history.size");
        String changed = original.equals("300") ? "301" : "300";
        try {
            apply("history.size", changed);
            page.until("the page to confirm the change", d -> page.text("#settings-result.ok").equals("history.size is now " + changed));
            assertThat(setting("history.size")).as("history.size in the JVM").isEqualTo(changed);
            page.until("the settings table to show the new value", d -> page.rows("#settings-table").stream()
                    .anyMatch(r -> r.get(0).equals("history.size") && r.get(1).equals(changed)));
        } finally {
            try (JvmConnection jvm = JvmConnection.open(demo.pid(), JMX_TIMEOUT)) {
                jvm.apply("history.size=" + original + "\n");
            }
        }
    }

    @Test
    void theOfflineReportDrawsItsChartsAndTablesWithoutNetwork() throws Exception {
        page.select(demo);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(page.base() + "api/report.html"))
                .header(AccessToken.HEADER, token.value()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.statusCode()).isEqualTo(200);
        Path report = Files.createDirectories(Path.of("target", "browser-report")).resolve("report.html");
        Files.write(report, response.body());

        ChromeDriver offline = Chromium.startOffline();
        try {
            DashboardPage file = new DashboardPage(offline, dashboard);
            offline.get(report.toAbsolutePath().toUri().toString());
            String section = "[data-jvm='" + ("pid-" + demo.pid()) + "'] ";
            file.until("the report's charts of the demo JVM", d -> d.findElements(By.cssSelector(section + "canvas")).size() >= 6);
            List<List<String>> operations = file.until("the report's operations table", d -> {
                List<List<String>> rows = file.rows(section + "table#operations");
                return rows.isEmpty() ? null : rows;
            });
            assertThat(operations).anyMatch(r -> r.get(0).equals("order"));
            Object drawn = file.js("""
                    const canvas = document.querySelector(arguments[0] + 'canvas');
                    const blank = document.createElement('canvas');
                    blank.width = canvas.width;
                    blank.height = canvas.height;
                    return canvas.toDataURL() !== blank.toDataURL();""", section);
            assertThat(drawn).as("the report's first chart differs from a blank canvas").isEqualTo(true);
            file.js("document.querySelector(arguments[0]).scrollIntoView();", section.trim());
            Chromium.screenshot(offline, "theOfflineReportDrawsItsChartsAndTablesWithoutNetwork-report");
            // The proxy on a closed port fails every request: a report that needed one would not have drawn, and
            // this says so plainly if it tried.
            Object requested = file.js("return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('file:') && !n.startsWith('data:') && !n.startsWith('blob:'));");
            assertThat((List<?>) requested).as("requests beyond the file").isEmpty();
        } finally {
            offline.quit();
        }
    }

    @Test
    void firstPageLoadTimeIsMeasured() {
        List<String> measured = new ArrayList<>();
        for (int visit = 1; visit <= 3; visit++) {
            browser.manage().deleteAllCookies();
            long before = System.nanoTime();
            page.open();
            Map<String, Object> timing = page.until("the load event to end", d -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) page.js("""
                        const n = performance.getEntriesByType('navigation')[0];
                        return n && n.loadEventEnd > 0 ? {load: n.loadEventEnd - n.startTime, dom: n.domContentLoadedEventEnd - n.startTime,
                          redirect: n.redirectEnd - n.redirectStart, redirects: n.redirectCount} : null;""");
                return t;
            });
            page.until("the first JVM row", d -> !d.findElements(By.cssSelector("#jvms tr[data-jvm]")).isEmpty());
            long rowsAfter = (System.nanoTime() - before) / 1_000_000;
            measured.add(String.format("visit %d: load %.0f ms (DOMContentLoaded %.0f ms, token redirect %.0f ms), JVM list shown after ~%d ms",
                    visit, number(timing.get("load")), number(timing.get("dom")), number(timing.get("redirect")), rowsAfter));
            assertThat(number(timing.get("load"))).isPositive();
        }
        measured.forEach(line -> System.out.println("browser: first page load, " + line));
    }

    private TargetJvm start(TargetJvm jvm) {
        started.add(jvm);
        return jvm;
    }

    private long violationCount() {
        String heading = (String) page.js("return document.querySelector('#violations').previousElementSibling.textContent;");
        Matcher matcher = Pattern.compile("([\\d,. ]+) violations").matcher(heading);
        assertThat(matcher.find()).as("violation count in '%s'", heading).isTrue();
        return DashboardPage.count(matcher.group(1));
    }

    private void apply(String key, String value) {
        new Select(browser.findElement(By.id("setting-key"))).selectByValue(key);
        var input = browser.findElement(By.id("setting-value"));
        input.clear();
        input.sendKeys(value);
        browser.findElement(By.cssSelector("#settings-form button[type='submit']")).click();
    }

    private static String setting(String key) {
        try (JvmConnection jvm = JvmConnection.open(demo.pid(), JMX_TIMEOUT)) {
            return jvm.settings().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow().value();
        }
    }

    private static Map<String, RuntimeSnapshot.OperationFigures> operations() {
        try (JvmConnection jvm = JvmConnection.open(demo.pid(), JMX_TIMEOUT)) {
            return jvm.snapshot().operations().byName().stream()
                    .collect(Collectors.toMap(RuntimeSnapshot.OperationFigures::name, Function.identity()));
        }
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }
}
