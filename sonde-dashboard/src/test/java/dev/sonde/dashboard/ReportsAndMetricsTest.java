package dev.sonde.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.OperationFigures;
import dev.sonde.dashboard.metrics.MetricsRoutes;
import dev.sonde.dashboard.report.ReportRoutes;
import dev.sonde.dashboard.watch.JvmStatus;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.dashboard.watch.WatchedJvm;
import dev.sonde.dashboard.web.AccessToken;
import dev.sonde.demo.OrderService;
import dev.sonde.fixtures.TargetJvm;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report routes and /metrics of a dashboard watching the real demo order service: the scrape is parsed
 * by Prometheus' own Python client, the reports are read back.
 */
class ReportsAndMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** Parses the exposition on stdin with the official client and prints every sample as a JSON line. */
    private static final String PARSE = String.join("\n",
            "import sys, json, math",
            "from prometheus_client.parser import text_string_to_metric_families",
            "for family in text_string_to_metric_families(sys.stdin.read()):",
            "    for s in family.samples:",
            "        v = None if math.isnan(s.value) else s.value",
            "        print(json.dumps({'family': family.name, 'type': family.type, 'name': s.name, 'labels': s.labels, 'value': v}))");

    private static TargetJvm demo;
    private static Dashboard dashboard;
    private static final AccessToken TOKEN = AccessToken.random();
    private static final AccessToken SCRAPE = AccessToken.random();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startDemoAndDashboard() throws IOException {
        demo = TargetJvm.startMain("order service started", OrderService.class);
        WatchSettings settings = new WatchSettings(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofSeconds(10), List.of(), 0.8, true);
        dashboard = Dashboard.start(settings, "127.0.0.1", 0, false, TOKEN, List.of(new ReportRoutes(), new MetricsRoutes(SCRAPE)));
        await("the dashboard shows the demo live with operations and a few samples", Duration.ofSeconds(60), () -> demoJvm()
                .filter(jvm -> jvm.view().status() == JvmStatus.LIVE && jvm.view().hasRuntime() && jvm.history().size() >= 3)
                .map(jvm -> RuntimeSnapshot.parse(jvm.view().runtime()).operations().byName().stream()
                        .anyMatch(op -> op.name().equals("order") && op.succeeded() > 0))
                .orElse(false));
    }

    @AfterAll
    static void stop() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void metricsNeedATokenAndTheScrapeTokenOpensNothingElse() throws Exception {
        assertThat(get("/metrics", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", Map.of("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
        HttpResponse<String> scraped = get("/metrics", bearer(SCRAPE));
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(get("/metrics", bearer(TOKEN)).statusCode()).isEqualTo(200);
        assertThat(get("/api/overview", bearer(SCRAPE)).statusCode()).isEqualTo(401);
        assertThat(get("/api/report.json", bearer(SCRAPE)).statusCode()).isEqualTo(401);
    }

    @Test
    void metricsParseWithPrometheusOwnParserAndMatchTheRuntime() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import prometheus_client"), "").exit == 0,
                "needs /usr/bin/python3 with the Prometheus client: apt-get install python3-prometheus-client");
        String pid = Long.toString(demo.pid());
        RuntimeSnapshot before;
        RuntimeSnapshot after;
        List<JsonNode> samples;
        try (JvmConnection connection = JvmConnection.open(demo.pid(), Duration.ofSeconds(10))) {
            before = connection.snapshot();
            Instant read = Instant.now();
            // the scrape shows the dashboard's last poll: wait for one that started after `before` was read
            await("a dashboard poll after the first snapshot", Duration.ofSeconds(60),
                    () -> demoJvm().map(jvm -> jvm.view().lastPoll().isAfter(read)).orElse(false));
            samples = parse(get("/metrics", bearer(SCRAPE)).body());
            after = connection.snapshot();
        }
        Map<String, OperationFigures> earlier = before.operations().byName().stream()
                .collect(Collectors.toMap(OperationFigures::name, op -> op));
        List<JsonNode> ours = samples.stream().filter(s -> s.path("labels").path("pid").asText().equals(pid)).toList();
        assertThat(ours).allSatisfy(s -> assertThat(s.path("labels").path("main_class").asText()).isEqualTo(OrderService.class.getName()));
        assertThat(ours).allSatisfy(s -> assertThat(s.path("labels").has("host")).isTrue());
        assertThat(value(ours, "sonde_jvm_up", Map.of())).isEqualTo(1.0);

        Map<String, OperationFigures> byName = after.operations().byName().stream()
                .collect(Collectors.toMap(OperationFigures::name, op -> op));
        List<JsonNode> ended = ours.stream().filter(s -> s.path("name").asText().equals("sonde_operations_ended_total")).toList();
        assertThat(ended).isNotEmpty().allSatisfy(s -> assertThat(s.path("type").asText()).isEqualTo("counter"));
        assertThat(ended.stream().map(s -> s.path("labels").path("operation").asText()).collect(Collectors.toSet()))
                .containsAll(List.of("order", "order.pay", "payment.charge")).isSubsetOf(byName.keySet());
        for (JsonNode sample : ended) {
            String operation = sample.path("labels").path("operation").asText();
            String outcome = sample.path("labels").path("outcome").asText();
            // Scraped from a poll between the two snapshots: a counter there lies between their readings.
            assertThat(sample.path("value").asDouble()).as(sample.toString())
                    .isLessThanOrEqualTo(ended(byName.get(operation), outcome, sample))
                    .isGreaterThanOrEqualTo(earlier.containsKey(operation) ? ended(earlier.get(operation), outcome, sample) : 0);
        }
        assertThat(value(ours, "sonde_operations_ended_total", Map.of("operation", "order", "outcome", "succeeded"))).isPositive();
        assertThat(value(ours, "sonde_operations_ended_total", Map.of("operation", "payment.charge", "outcome", "failed"))).isPositive();
        assertThat(value(ours, "sonde_operations_p99_seconds", Map.of("operation", "order"))).isPositive().isLessThan(60);
        assertThat(value(ours, "sonde_scope_violations_total", Map.of("kind", "WRONG_THREAD"))).isPositive();
        assertThat(value(ours, "sonde_jvm_heap_used_bytes", Map.of())).isPositive();
        assertThat(ours).anySatisfy(s -> assertThat(s.path("name").asText()).isEqualTo("sonde_kpi_breached"));
        assertThat(ours).anySatisfy(s -> assertThat(s.path("name").asText()).isEqualTo("sonde_executor_queued"));
        assertThat(ours).anySatisfy(s -> assertThat(s.path("name").asText()).isEqualTo("sonde_recovery_attempts_total"));
    }

    @Test
    void aJvmWithoutRuntimeIsExportedWithItsOwnFiguresAndRemovedWhenItEnds() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import prometheus_client"), "").exit == 0,
                "needs /usr/bin/python3 with the Prometheus client: apt-get install python3-prometheus-client");
        TargetJvm sleeper = TargetJvm.startMain("sleeper up", Sleeper.class);
        String pid = Long.toString(sleeper.pid());
        try {
            await("the sleeper on /metrics with its heap", Duration.ofSeconds(30), () -> parse(scrape()).stream()
                    .anyMatch(s -> s.path("labels").path("pid").asText().equals(pid) && s.path("name").asText().equals("sonde_jvm_heap_used_bytes")));
        } finally {
            sleeper.close();
        }
        await("the ended sleeper gone from /metrics", Duration.ofSeconds(30), () -> parse(scrape()).stream()
                .noneMatch(s -> s.path("labels").path("pid").asText().equals(pid)));
    }

    @Test
    void jsonReportRoundTripsAndHoldsTheDemoOperations() throws Exception {
        HttpResponse<String> response = get("/api/report.json?since=2m", bearer(TOKEN));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(disposition ->
                assertThat(disposition).matches("attachment; filename=\"sonde-report-\\d{8}-\\d{4}\\.json\""));
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.path("since").asText()).isEqualTo("2m");
        assertThat(report.path("generator").asText()).startsWith("sonde ");
        assertThat(report.path("generatedAt").asText()).isNotBlank();
        JsonNode jvm = StreamSupport.stream(report.path("jvms").spliterator(), false)
                .filter(node -> node.path("pid").asLong() == demo.pid()).findFirst().orElseThrow();
        assertThat(jvm.path("mainClass").asText()).isEqualTo(OrderService.class.getName());
        assertThat(jvm.path("health").path("colour").asText()).isIn("GREEN", "AMBER", "RED");
        RuntimeSnapshot runtime = RuntimeSnapshot.parse(jvm.path("runtime").toString());
        assertThat(runtime.operations().byName()).extracting(OperationFigures::name).contains("order", "order.pay", "payment.charge");
        JsonNode history = jvm.path("history");
        int samples = history.path("t").size();
        assertThat(samples).isGreaterThanOrEqualTo(3);
        assertThat(history.path("operations").path("order").path("throughput").size()).isEqualTo(samples);
        assertThat(history.path("heapUsedMb").size()).isEqualTo(samples);
        assertThat(JSON.readTree(JSON.writeValueAsString(report))).isEqualTo(report);
    }

    @Test
    void htmlReportIsOneSelfContainedFile() throws Exception {
        HttpResponse<String> response = get("/api/report.html", bearer(TOKEN));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Disposition")).hasValueSatisfying(disposition ->
                assertThat(disposition).matches("attachment; filename=\"sonde-report-\\d{8}-\\d{4}\\.html\""));
        String html = response.body();
        assertThat(html).doesNotContain("http://", "https://").doesNotContainPattern("(?i)<script[^>]*\\ssrc\\s*=")
                .doesNotContainPattern("(?i)<link[^>]*\\shref\\s*=").doesNotContainPattern("(?i)@import|url\\(\\s*['\"]?(?!data:)");
        assertThat(html).contains("var uPlot=", "function runtimeTables(", "function chartSpecs(", "Content-Security-Policy");
        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(data.find()).isTrue();
        assertThat(data.group(1)).doesNotContain("</", "<!--");
        JsonNode report = JSON.readTree(data.group(1));
        assertThat(report.path("jvms").findValues("pid")).extracting(JsonNode::asLong).contains(demo.pid());
        // Every <script> element closes once: nothing inlined ends one early.
        assertThat(Pattern.compile("(?i)<script").matcher(html).results().count())
                .isEqualTo(Pattern.compile("(?i)</script>").matcher(html).results().count()).isEqualTo(4);
    }

    @Test
    void aBadSinceIsOneSentence() throws Exception {
        HttpResponse<String> response = get("/api/report.json?since=soon", bearer(TOKEN));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("Cannot read duration 'soon'; write it like 500ms, 10s, 2m or 1h.");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static long ended(OperationFigures op, String outcome, JsonNode sample) {
        return switch (outcome) {
            case "succeeded" -> op.succeeded();
            case "failed" -> op.failed();
            case "cancelled" -> op.cancelled();
            case "timed_out" -> op.timedOut();
            default -> throw new AssertionError("unexpected outcome in " + sample);
        };
    }

    private static Optional<WatchedJvm> demoJvm() {
        return dashboard.watcher().find("pid-" + demo.pid());
    }

    private static String scrape() {
        try {
            return get("/metrics", bearer(SCRAPE)).body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> bearer(AccessToken token) {
        return Map.of("Authorization", "Bearer " + token.value());
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path)).GET();
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<JsonNode> parse(String exposition) {
        Ran parsed = run(List.of(PYTHON.toString(), "-c", PARSE), exposition);
        assertThat(parsed.exit).as("the Prometheus parser said:\n" + parsed.output + "\nof:\n" + exposition).isZero();
        List<JsonNode> samples = new ArrayList<>();
        for (String line : parsed.output.lines().toList()) {
            try {
                samples.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a sample line: " + line, e);
            }
        }
        return samples;
    }

    private static double value(List<JsonNode> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.path("name").asText().equals(name))
                .filter(s -> labels.entrySet().stream().allMatch(l -> s.path("labels").path(l.getKey()).asText().equals(l.getValue())))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + name + labels))
                .path("value").asDouble();
    }

    private record Ran(int exit, String output) {
    }

    private static Ran run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Ran(process.waitFor(), output);
        } catch (IOException e) {
            return new Ran(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }


    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
