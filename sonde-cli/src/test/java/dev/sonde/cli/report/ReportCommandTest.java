package dev.sonde.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.Main;
import dev.sonde.demo.OrderService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde report} against the real demo order service, and its one-sentence refusals. */
class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
    }

    @Test
    void writesTheHtmlAndJsonReportsOfOneJvm(@TempDir Path dir) throws Exception {
        Process demo = startDemo();
        try {
            Path html = dir.resolve("incident.html");
            Path json = dir.resolve("incident.json");
            Run run = sonde("report", Long.toString(demo.pid()), "--html", html.toString(), "--json", json.toString());
            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo("Wrote " + html + " (JVM " + demo.pid() + " (" + OrderService.class.getName() + "))\n"
                    + "Wrote " + json + " (JVM " + demo.pid() + " (" + OrderService.class.getName() + "))\n");
            JsonNode report = JSON.readTree(json.toFile());
            JsonNode jvm = report.path("jvms").path(0);
            assertThat(jvm.path("pid").asLong()).isEqualTo(demo.pid());
            assertThat(jvm.path("runtime").path("operations").path("byName").findValuesAsText("name")).contains("order");
            assertThat(jvm.path("history").path("t").size()).isEqualTo(1);
            String page = Files.readString(html);
            assertThat(page).contains("id=\"report-data\"", "var uPlot=").doesNotContain("http://", "https://", "<script src=", "<link");
        } finally {
            demo.destroyForcibly();
        }
    }

    @Test
    void anUnknownPidIsOneSentenceAndExit3() {
        Run run = sonde("report", "999999999");
        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: No process has pid 999999999; `sonde ps` lists the JVMs you can inspect.\n");
    }

    @Test
    void neitherPidNorAllIsOneSentence() {
        Run run = sonde("report", "latest");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("error: 'latest' is neither a pid nor all; give a pid from `sonde ps`, or all.\n");
    }

    @Test
    void anUnwritableFileIsOneSentence(@TempDir Path dir) throws Exception {
        Process demo = startDemo();
        try {
            Path missing = dir.resolve("no-such-dir").resolve("r.json");
            Run run = sonde("report", Long.toString(demo.pid()), "--json", missing.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).isEqualTo("error: Cannot write the report to " + missing + ": the directory " + missing.getParent()
                    + " does not exist; create it or choose another path.\n");
        } finally {
            demo.destroyForcibly();
        }
    }

    @Test
    void helpHasExamples() {
        Run run = sonde("report", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("sonde report 4242", "--html", "--json", "--since", "sonde report all");
    }

    private static Run sonde(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, new ByteArrayInputStream(new byte[0]), o, e);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The demo order service, once it has taken orders. */
    private static Process startDemo() throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), OrderService.class.getName())
                .redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            seen.add(line);
            if (line.matches("order \\d+ for .*\\(confirmed 3\\)")) {
                Thread.ofPlatform().daemon().start(() -> {
                    try {
                        lines.transferTo(java.io.Writer.nullWriter());
                    } catch (IOException ended) {
                        // the demo was stopped
                    }
                });
                return process;
            }
        }
        process.destroyForcibly();
        throw new AssertionError("the demo ended before confirming 3 orders: " + seen);
    }
}
