package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without the agent ({@code --no-async-stacks}), a target using sonde-runtime's wrapped executors and {@code trackAsync}
 * with {@code tasks.captureStacks} on still shows where its tasks were handed off; the debugger reads the runtime's
 * records with JDWP field reads.
 */
class RuntimeAsyncStacksTest {

    private static String[] debug(String captureStacks, String... options) {
        List<String> args = new ArrayList<>(List.of("debug", "--no-async-stacks"));
        args.addAll(List.of(options));
        args.addAll(List.of("--", "-XX:TieredStopAtLevel=1", "-Dsonde.runtime.tasks.captureStacks=" + captureStacks,
                "-cp", System.getProperty("java.class.path"), RuntimeTaskChains.class.getName()));
        return args.toArray(String[]::new);
    }

    @Test
    void whereShowsTheSubmittersFramesOfEachHandOffTheRuntimeSaw() {
        Cli.Run run = Cli.run(Cli.input("break RuntimeTaskChains.report", "break RuntimeTaskChains.bill",
                "cont", "wait 30s", "where", "cont", "wait 30s", "where", "where full", "quit"), debug("ALL"));

        assertThat(run.exit()).as(run.toString()).isZero();
        String out = run.out();
        String report = out.substring(out.indexOf("Breakpoint 1 hit"), out.indexOf("Breakpoint 2 hit"));
        assertThat(report).as(run.toString()).containsSubsequence("RuntimeTaskChains.report (RuntimeTaskChains.java:",
                "— scheduled by submit on \"main\", ", "RuntimeTaskChains.submitReport (RuntimeTaskChains.java:",
                "RuntimeTaskChains.main (RuntimeTaskChains.java:");
        String bill = out.substring(out.indexOf("Breakpoint 2 hit"), out.lastIndexOf("→ #0"));
        assertThat(bill).as(run.toString()).containsSubsequence("RuntimeTaskChains.bill (RuntimeTaskChains.java:",
                "— scheduled by submit on \"orders-pool\", ", "RuntimeTaskChains.lambda$loadOrder$",
                "— scheduled by supplyAsync on \"main\", ", "RuntimeTaskChains.lambda$loadOrder$",
                "— scheduled by trackAsync(\"orders.load\") on \"main\", ", "RuntimeTaskChains.loadOrder (RuntimeTaskChains.java:",
                "RuntimeTaskChains.main (RuntimeTaskChains.java:",
                "(frames of the scheduling machinery are folded; `where full` shows them)");
        assertThat(bill).as("the runtime's own frames are folded").doesNotContain("      dev.sonde.runtime.");
        String full = out.substring(out.lastIndexOf("→ #0"));
        assertThat(full).contains("AbstractExecutorService.submit (AbstractExecutorService.java)");
    }

    @Test
    void jsonWhereCarriesTheRuntimesHandOff() {
        Cli.Run run = Cli.run(debug("ALL", "--json", "--exec", "break RuntimeTaskChains.report", "--exec", "cont",
                "--exec", "wait 30s", "--exec", "where", "--exec", "quit"));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode async = run.result("where", 0).path("async");
        assertThat(async.size()).as(run.toString()).isEqualTo(1);
        assertThat(async.get(0).path("kind").asText()).isEqualTo("submit");
        assertThat(async.get(0).path("thread").asText()).isEqualTo("\"main\"");
        List<JsonNode> frames = new ArrayList<>();
        async.get(0).path("frames").forEach(frames::add);
        JsonNode submitter = frames.stream().filter(f -> f.path("method").asText().equals("submitReport")).findFirst().orElseThrow();
        assertThat(submitter.path("file").asText()).isEqualTo("RuntimeTaskChains.java");
        assertThat(submitter.path("line").asInt()).isPositive();
    }

    @Test
    void withTheSettingOffTheStackIsTheThreadsOwn() {
        Cli.Run run = Cli.run(debug("OFF", "--json", "--exec", "break RuntimeTaskChains.bill", "--exec", "cont",
                "--exec", "wait 30s", "--exec", "where", "--exec", "quit"));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode where = run.result("where", 0);
        assertThat(where.path("frames").get(0).path("method").asText()).isEqualTo("bill");
        assertThat(where.path("async").isArray()).isTrue();
        assertThat(where.path("async").size()).as(run.toString()).isZero();
    }
}
