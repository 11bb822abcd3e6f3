package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Exiter;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import dev.sonde.fixtures.Variables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde debug --exec ... --json}: batch mode and its JSON lines, against real debuggee JVMs. */
class BatchModeTest {

    @Test
    void debugSessionInJsonLines() {
        int line = Markers.line(Counter.class, "tick-body");
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json",
                "--exec", "break Counter.java:" + line,
                "--exec", "cont",
                "--exec", "wait 20s",
                "--exec", "where",
                "--exec", "locals",
                "--exec", "print round",
                "--exec", "next",
                "--exec", "wait 20s",
                "--exec", "print doubled",
                "--exec", "up",
                "--exec", "print i",
                "--exec", "threads",
                "--exec", "delete 1",
                "--exec", "cont",
                "--exec", "wait 20s"), Counter.class, "3", "0"));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode launch = run.result("launch", 0);
        assertThat(launch.path("ok").asBoolean()).isTrue();
        assertThat(launch.path("address").asText()).startsWith("127.0.0.1:");
        assertThat(launch.path("pid").asLong()).isPositive();

        JsonNode breakpoint = run.result("break", 0).path("breakpoint");
        assertThat(breakpoint.path("id").asInt()).isEqualTo(1);
        assertThat(breakpoint.path("verified").asBoolean()).isFalse();

        JsonNode waited = run.result("wait", 0);
        assertThat(waited.path("outcome").asText()).isEqualTo("stopped");
        JsonNode stopped = run.events("stopped").stream().filter(e -> e.path("reason").asText().equals("breakpoint")).findFirst().orElseThrow();
        assertThat(stopped.path("thread").path("name").asText()).isEqualTo("main");
        assertThat(stopped.path("thread").path("virtual").asBoolean()).isFalse();
        assertThat(stopped.path("thread").path("id").asLong()).isPositive();
        assertThat(stopped.path("location").path("class").asText()).isEqualTo(Counter.class.getName());
        assertThat(stopped.path("location").path("method").asText()).isEqualTo("tick");
        assertThat(stopped.path("location").path("file").asText()).isEqualTo("Counter.java");
        assertThat(stopped.path("location").path("line").asInt()).isEqualTo(line);
        assertThat(stopped.path("breakpoints").get(0).asInt()).isEqualTo(1);

        JsonNode frames = run.result("where", 0).path("frames");
        assertThat(frames.get(0).path("method").asText()).isEqualTo("tick");
        assertThat(frames.get(0).path("line").asInt()).isEqualTo(line);
        assertThat(frames.get(1).path("method").asText()).isEqualTo("main");
        assertThat(frames.get(1).path("file").asText()).isEqualTo("Counter.java");

        JsonNode variables = run.result("locals", 0).path("variables");
        assertThat(variables.get(0).path("name").asText()).isEqualTo("round");
        assertThat(variables.get(0).path("value").asText()).isEqualTo("0");
        assertThat(variables.get(0).path("valueType").asText()).isEqualTo("int");

        JsonNode printed = run.result("print", 0);
        assertThat(printed.path("value").asText()).isEqualTo("0");
        assertThat(printed.path("valueType").asText()).isEqualTo("int");
        assertThat(run.result("print", 1).path("value").asText()).isEqualTo("0");
        assertThat(run.result("wait", 1).path("stopped").path("reason").asText()).isEqualTo("step");
        assertThat(run.result("up", 0).path("frame").path("method").asText()).isEqualTo("main");
        assertThat(run.result("print", 2).path("value").asText()).isEqualTo("0");
        assertThat(run.result("threads", 0).path("threads").findValuesAsText("name")).contains("main");

        assertThat(run.result("wait", 2).path("outcome").asText()).isEqualTo("terminated");
        JsonNode terminated = run.events("terminated").get(0);
        assertThat(terminated.path("exitCode").asInt()).isZero();
        assertThat(run.events("output").stream().map(e -> e.path("text").asText()).reduce("", String::concat)).contains("counted ");
    }

    @Test
    void failingCommandsReportErrorsAndTheRestStillRun() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json",
                "--exec", "frobnicate",
                "--exec", "break Nope.java:x",
                "--exec", "print nothing.here",
                "--exec", "break dev.sonde.fixtures.Sleeper:9999",
                "--exec", "cont",
                "--exec", "wait 1s",
                "--exec", "breakpoints"), Sleeper.class));

        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        JsonNode unknown = run.result("frobnicate", 0);
        assertThat(unknown.path("ok").asBoolean()).isFalse();
        assertThat(unknown.path("error").asText()).isEqualTo("Unknown command 'frobnicate'; `help` lists the commands.");
        JsonNode badLocation = run.result("break", 0);
        assertThat(badLocation.path("ok").asBoolean()).isFalse();
        assertThat(badLocation.path("error").asText())
                .isEqualTo("Cannot read breakpoint location 'Nope.java:x'; write it as File.java:LINE, pkg.Class:LINE or pkg.Class.method.");
        assertThat(run.result("print", 0).path("ok").asBoolean()).isFalse();
        JsonNode timedOut = run.result("wait", 0);
        assertThat(timedOut.path("ok").asBoolean()).isFalse();
        assertThat(timedOut.path("error").asText()).isEqualTo("Nothing stopped within 1s; the target is still running.");
        JsonNode list = run.result("breakpoints", 0);
        assertThat(list.path("ok").asBoolean()).isTrue();
        assertThat(list.path("breakpoints").get(0).path("reason").asText()).startsWith("no code at line 9999 of Sleeper.java; nearest lines with code: ");
        assertThat(run.result("break", 1).path("breakpoint").path("id").asInt()).isEqualTo(1);
    }

    @Test
    void waitWithoutTimeoutIsBoundedInBatchMode(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("sonde.yaml");
        Files.writeString(config, "console:\n  waitTimeout: 2s\n");
        long start = System.nanoTime();
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json", "--config", config.toString(), "--exec", "cont", "--exec", "wait"),
                Sleeper.class));
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.result("wait", 0).path("error").asText()).isEqualTo("Nothing stopped within 2s; the target is still running.");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void waitReturnsWhenTheTargetExits() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json", "--exec", "cont", "--exec", "wait 30s"), Exiter.class, "100", "3"));
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode waited = run.result("wait", 0);
        assertThat(waited.path("outcome").asText()).isEqualTo("terminated");
        assertThat(waited.path("terminated").path("exitCode").asInt()).isEqualTo(3);
        String output = run.events("output").stream().map(e -> e.path("text").asText()).reduce("", String::concat);
        assertThat(output).contains("exiter started", "exiter stderr line", "exiter leaving with 3");
        assertThat(run.events("output")).anySatisfy(e -> assertThat(e.path("category").asText()).isEqualTo("stderr"));
    }

    @Test
    void textModeShowsResultsForPeople() {
        int line = Markers.line(Variables.class, "all-set");
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug",
                "--exec", "break dev.sonde.fixtures.Variables:" + line,
                "--exec", "cont", "--exec", "wait 20s", "--exec", "print text", "--exec", "print numbers",
                "--exec", "print list", "--exec", "kill"), Variables.class));
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Breakpoint 1 hit in thread 1 (main): Variables.main (Variables.java:" + line + ")")
                .contains("text = \"line1\\n\\\"quoted\\\"\\ttab\\\\\"")
                .contains("numbers = int[3] {1, 2, 3}")
                .contains("list = ArrayList(size=3) [\"apple\", \"banana\", \"cherry\"]")
                .contains("Killed the target.");
    }
}
