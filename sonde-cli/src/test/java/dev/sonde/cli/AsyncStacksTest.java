package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.fixtures.AsyncChains;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sonde debug} starts the target with the agent capturing async stacks; {@code where} at a stop inside scheduled
 * work shows the code that scheduled it, read from the target with JDWP field reads.
 */
class AsyncStacksTest {

    private static String at(String mark) {
        return "AsyncChains.java:" + Markers.line(AsyncChains.class, mark);
    }

    @Test
    void whereShowsTheSchedulingCodeOfEachHandOff() {
        List<String> input = new ArrayList<>();
        for (String mark : List.of("supplied", "applied", "submitted", "virtual", "from-virtual", "nested")) {
            input.add("break " + at(mark));
        }
        for (int i = 0; i < 6; i++) {
            input.addAll(List.of("cont", "wait 30s", "where"));
        }
        input.addAll(List.of("where full", "quit"));
        Cli.Run run = Cli.run(Cli.input(input.toArray(String[]::new)), Cli.withTarget(List.of("debug"), AsyncChains.class));

        assertThat(run.exit()).as(run.toString()).isZero();
        String out = run.out();
        assertThat(out).as(run.toString())
                .contains("— scheduled by supplyAsync on \"main\", ")
                .contains("AsyncChains.loadOrder (" + at("schedule-supplied") + ")")
                .contains("— scheduled by thenApplyAsync on \"main\", ")
                .contains("AsyncChains.chainBilling (AsyncChains.java:")
                .contains("— scheduled by submit on \"main\", ")
                .contains("AsyncChains.submitReport (AsyncChains.java:")
                .contains("— scheduled by Thread.start on \"main\", ")
                .contains("AsyncChains.startAudit (AsyncChains.java:")
                .contains("(frames of the scheduling machinery are folded; `where full` shows them)");
        // a stage scheduled from inside another: both hand-offs, the nearer first
        String fromVirtual = out.substring(out.indexOf("Breakpoint 5 hit"), out.indexOf("Breakpoint 6 hit"));
        assertThat(fromVirtual).containsSubsequence("— scheduled by runAsync on virtual#", " \"audit\", ", "AsyncChains.lambda$startAudit$",
                "— scheduled by Thread.start on \"main\", ", "AsyncChains.startAudit (AsyncChains.java:");
        String nested = out.substring(out.indexOf("Breakpoint 6 hit"));
        assertThat(nested).containsSubsequence("— scheduled by supplyAsync on \"orders-pool\", ", "AsyncChains.lambda$lookupCustomer$",
                "— scheduled by supplyAsync on \"main\", ", "AsyncChains.lookupCustomer (AsyncChains.java:");
        // folded by default; `where full` (at the last stop) lists the CompletableFuture frames too, with their lines
        int full = out.lastIndexOf("→ #0");
        assertThat(out.substring(0, full)).doesNotContain("CompletableFuture.supplyAsync (CompletableFuture.java)");
        assertThat(out.substring(full)).contains("CompletableFuture.supplyAsync (CompletableFuture.java:");
    }

    @Test
    void jsonWhereCarriesTheHandOffs() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json",
                "--exec", "break " + at("applied"),
                "--exec", "cont",
                "--exec", "wait 30s",
                "--exec", "where",
                "--exec", "quit"), AsyncChains.class));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode async = run.result("where", 0).path("async");
        assertThat(async.size()).as(run.toString()).isEqualTo(1);
        JsonNode handOff = async.get(0);
        assertThat(handOff.path("kind").asText()).isEqualTo("thenApplyAsync");
        assertThat(handOff.path("thread").asText()).isEqualTo("\"main\"");
        assertThat(handOff.path("ageMillis").asLong()).isNotNegative();
        List<JsonNode> frames = new ArrayList<>();
        handOff.path("frames").forEach(frames::add);
        JsonNode scheduler = frames.stream().filter(f -> f.path("method").asText().equals("chainBilling")).findFirst().orElseThrow();
        assertThat(scheduler.path("file").asText()).isEqualTo("AsyncChains.java");
        assertThat(scheduler.path("line").asInt()).isPositive();
        assertThat(frames.get(0).path("class").asText()).startsWith("java.util.concurrent.CompletableFuture");
        assertThat(frames.get(0).path("machinery").asBoolean()).isTrue();
    }

    @Test
    void withoutAsyncStacksTheStackIsTheThreadsOwn() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json", "--no-async-stacks",
                "--exec", "break " + at("supplied"),
                "--exec", "cont",
                "--exec", "wait 30s",
                "--exec", "where",
                "--exec", "quit"), AsyncChains.class));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode where = run.result("where", 0);
        assertThat(where.path("frames").get(0).path("line").asInt()).isEqualTo(Markers.line(AsyncChains.class, "supplied"));
        assertThat(where.path("async").isArray()).isTrue();
        assertThat(where.path("async").size()).isZero();
    }
}
