package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Failures;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's non-stop commands (log, snap), conditions, catch, watch, set, and the `sonde snapshot` command. */
class NonStopCommandsTest {

    private static final int TICK = Markers.line(Counter.class, "tick-body");

    @Test
    void logpointsSnapshotsAndConditionsInJsonLines() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json",
                "--exec", "log Counter.java:" + TICK + " \"round {round} of {Integer.toString(round).length()} digit\" every 2",
                "--exec", "snap dev.sonde.fixtures.Counter.tick if round > 2 max 1 watch round * 10",
                "--exec", "break Counter.java:" + TICK + " if round == 4",
                "--exec", "cont", "--exec", "wait 20s",
                "--exec", "print round", "--exec", "print Integer.toHexString(round + 250)",
                "--exec", "set round = 40", "--exec", "print round",
                "--exec", "breakpoints", "--exec", "kill"), Counter.class, "8", "0"));
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode log = run.result("log", 0).path("breakpoint");
        assertThat(log.path("action").asText()).isEqualTo("log");
        assertThat(log.path("hitCondition").asText()).isEqualTo("every 2");
        List<String> logged = run.events("output").stream().filter(e -> e.path("category").asText().equals("log"))
                .map(e -> e.path("text").asText().strip()).toList();
        assertThat(logged).containsExactly("round 1 of 1 digit", "round 3 of 1 digit");
        assertThat(run.events("output")).filteredOn(e -> e.path("category").asText().equals("log"))
                .allSatisfy(e -> assertThat(e.path("breakpoint").asInt()).isEqualTo(1));
        JsonNode snapshot = run.events("snapshot").get(0);
        assertThat(snapshot.path("breakpoint").asInt()).isEqualTo(2);
        assertThat(snapshot.path("sequence").asInt()).isEqualTo(1);
        assertThat(snapshot.path("thread").path("name").asText()).isEqualTo("main");
        assertThat(snapshot.path("frames").get(0).path("method").asText()).isEqualTo("tick");
        assertThat(snapshot.path("locals").get(0).path("variables").get(0).path("value").asText()).isEqualTo("3");
        assertThat(snapshot.path("watches").get(0).path("expression").asText()).isEqualTo("round * 10");
        assertThat(snapshot.path("watches").get(0).path("value").asText()).isEqualTo("30");
        assertThat(run.events("breakpointChanged")).anySatisfy(e -> {
            assertThat(e.path("change").asText()).isEqualTo("removed");
            assertThat(e.path("breakpoint").path("id").asInt()).isEqualTo(2);
        });
        assertThat(run.result("print", 0).path("value").asText()).isEqualTo("4");
        assertThat(run.result("print", 1).path("value").asText()).isEqualTo("\"fe\"");
        assertThat(run.result("set", 0).path("value").asText()).isEqualTo("40");
        assertThat(run.result("print", 2).path("value").asText()).isEqualTo("40");
        JsonNode listed = run.result("breakpoints", 0).path("breakpoints");
        assertThat(listed).hasSize(2);
        assertThat(listed.get(1).path("condition").asText()).isEqualTo("round == 4");
        assertThat(listed.get(1).path("hits").asInt()).isEqualTo(1);
    }

    @Test
    void exceptionsAndWatchpointsInText() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug",
                "--exec", "catch caught IllegalStateException --exclude java.*",
                "--exec", "watch dev.sonde.fixtures.Failures.attempts",
                "--exec", "watch nonsense",
                "--exec", "cont", "--exec", "wait 20s",
                "--exec", "cont", "--exec", "wait 20s",
                "--exec", "delete", "--exec", "catch uncaught *",
                "--exec", "cont", "--exec", "wait 20s", "--exec", "kill"), Failures.class, "0"));
        assertThat(run.exit()).as(run.toString()).isEqualTo(1);
        assertThat(run.out())
                .contains("Breakpoint 2: Failures.attempts changes from 0 to 1 in thread 1 (main) at Failures.attempt (Failures.java:"
                        + Markers.line(Failures.class, "attempts-write") + ")")
                .contains("Breakpoint 1: java.lang.IllegalStateException (\"attempt 1 failed\") thrown, caught at Failures.main (Failures.java:")
                .contains("Breakpoint 3: java.lang.UnsupportedOperationException (\"no way out\") thrown, uncaught in thread 1 (main)");
        assertThat(run.err()).contains("error: Give a field: watch [access|modify|all] pkg.Class.field.");
    }

    @Test
    void noInvokeRefusesWhatWouldRunTargetCode() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json", "--no-invoke",
                "--exec", "break Counter.java:" + TICK, "--exec", "cont", "--exec", "wait 20s",
                "--exec", "print round + 1", "--exec", "print Integer.toString(round)", "--exec", "kill"), Counter.class, "3", "0"));
        assertThat(run.result("print", 0).path("value").asText()).isEqualTo("1");
        JsonNode refused = run.result("print", 1);
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("error").asText()).startsWith("Evaluating `Integer.toString(round)` would run code in the target");
        assertThat(run.exit()).isEqualTo(1);
    }

    @Test
    void malformedBreakpointCommandsSayHowToWriteThem() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json",
                "--exec", "log Counter.java:" + TICK + " round {round}",
                "--exec", "log Counter.java:" + TICK + " \"round {round\"",
                "--exec", "break Counter.java:" + TICK + " exit",
                "--exec", "break Counter.java:" + TICK + " if",
                "--exec", "break Counter.java:" + TICK + " if round > every 2 hits 3",
                "--exec", "catch IllegalStateException IllegalArgumentException",
                "--exec", "snap",
                "--exec", "break Counter.java:" + TICK + " if round >", "--exec", "breakpoints"), Counter.class, "3", "0"));
        List<String> errors = run.results().stream().filter(r -> !r.path("ok").asBoolean()).map(r -> r.path("error").asText()).toList();
        assertThat(errors).containsExactly(
                "Put the log message in double quotes: log Counter.java:" + TICK + " \"total is {total}\".",
                "The log message has an unclosed '{' at position 7; close it, or write {{ for a literal brace.",
                "`exit` goes with a method (break pkg.Class.method exit), not with Counter.java:" + TICK + ".",
                "`if` needs a condition, for example: if order.total() > 100.",
                "Use one of hits N, every N or after N, not several.",
                "Give one exception class: catch [caught|uncaught|all] CLASS (or * for every exception).",
                "Give a location: snap Orders.java:42 [if EXPR] [max N] [watch EXPR]...",
                "Cannot parse 'round >' as a Java expression (it ends too early); check it, for example order.items[0].");
        assertThat(run.result("breakpoints", 0).path("breakpoints")).isEmpty();
    }

    @Test
    void snapshotCommandCapturesFromARunningJvmAndLetsGo(@TempDir Path dir) throws IOException {
        try (ServerManager servers = new ServerManager()) {
            DebugServer target = servers.start(JvmLaunchSpec.of(List.of("-cp", Markers.classPath().toString(), Counter.class.getName(), "100000", "20")),
                    (category, text) -> { });
            Path out = dir.resolve("snaps.jsonl");
            Cli.Run run = Cli.run("snapshot", target.address().toString(), "--at", "Counter.java:" + TICK, "--count", "2",
                    "--watch", "round % 7", "--frames", "1", "--out", out.toString());
            assertThat(run.exit()).as(run.toString()).isZero();
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(2);
            JsonNode first = new ObjectMapper().readTree(lines.get(0));
            assertThat(first.path("event").asText()).isEqualTo("snapshot");
            assertThat(first.path("locals")).hasSize(1);
            assertThat(first.path("watches").get(0).path("expression").asText()).isEqualTo("round % 7");
            assertThat(run.out()).containsPattern("Snapshot 1 of breakpoint 1 in thread \\d+ \\(main\\) at Counter.tick \\(Counter.java:" + TICK + "\\)");
            assertThat(run.err()).contains("Wrote 2 snapshots to " + out);
            assertThat(target.isAlive()).isTrue();

            Cli.Run timedOut = Cli.run("snapshot", target.address().toString(), "--at", "Counter.java:" + Markers.line(Counter.class, "after-loop"),
                    "--timeout", "1s", "--json");
            assertThat(timedOut.exit()).isEqualTo(ExitCodes.TIMEOUT);
            assertThat(timedOut.err()).contains("error: took 0 of 1 snapshots before the 1s timeout");
            assertThat(target.isAlive()).isTrue();
        }
    }
}
