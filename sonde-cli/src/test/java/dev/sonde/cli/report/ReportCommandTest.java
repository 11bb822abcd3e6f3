package dev.sonde.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.Cli;
import dev.sonde.demo.OrderService;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde report} against the real demo order service, and its one-sentence refusals. */
class ReportCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {
    }

    @Test
    void writesTheHtmlAndJsonReportsOfOneJvm(@TempDir Path dir) throws Exception {
        TargetJvm demo = startDemo();
        try {
            Path html = dir.resolve("incident.html");
            Path json = dir.resolve("incident.json");
            Cli.Run run = Cli.run("report", Long.toString(demo.pid()), "--html", html.toString(), "--json", json.toString());
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
            demo.close();
        }
    }

    @Test
    void anUnknownPidIsOneSentenceAndExit3() {
        Cli.Run run = Cli.run("report", "999999999");
        assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: No process has pid 999999999; `sonde ps` lists the JVMs you can inspect.\n");
    }

    @Test
    void neitherPidNorAllIsOneSentence() {
        Cli.Run run = Cli.run("report", "latest");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("error: 'latest' is neither a pid nor all; give a pid from `sonde ps`, or all.\n");
    }

    @Test
    void anUnwritableFileIsOneSentence(@TempDir Path dir) throws Exception {
        TargetJvm demo = startDemo();
        try {
            Path missing = dir.resolve("no-such-dir").resolve("r.json");
            Cli.Run run = Cli.run("report", Long.toString(demo.pid()), "--json", missing.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).isEqualTo("error: Cannot write the report to " + missing + ": the directory " + missing.getParent()
                    + " does not exist; create it or choose another path.\n");
        } finally {
            demo.close();
        }
    }

    @Test
    void helpHasExamples() {
        Cli.Run run = Cli.run("report", "--help");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("sonde report 4242", "--html", "--json", "--since", "sonde report all");
    }


    /** The demo order service, once it has confirmed 3 orders. */
    private static TargetJvm startDemo() {
        TargetJvm demo = TargetJvm.startMain("order service started", OrderService.class);
        if (!demo.awaitOutput(line -> line.matches("order \\d+ for .*\\(confirmed 3\\)"), Duration.ofSeconds(60))) {
            demo.close();
            throw new AssertionError("the demo did not confirm 3 orders: " + demo.output());
        }
        return demo;
    }
}
