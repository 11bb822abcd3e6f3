package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.fixtures.AsyncCoverage;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-offs {@link AsyncStacksTest} leaves out, each stopped in and read with {@code where} (console and JSON): work
 * relayed across three pools, a platform thread started from a virtual one, {@code thenCompose} and
 * {@code exceptionally}, {@code anyOf}/{@code allOf} with the input that completed them, {@code invokeAll} on a thread
 * pool and a ForkJoinPool, a scheduled executor, thread-per-task executors.
 */
class AsyncCoverageTest {

    private static String at(String mark) {
        return "AsyncCoverage.java:" + Markers.line(AsyncCoverage.class, mark);
    }

    /** The text a hand-off's frame shows for the scheduling call at {@code mark} in {@code method}. */
    private static String frame(String method, String mark) {
        return "AsyncCoverage." + method + " (" + at(mark) + ")";
    }

    @Test
    void whereShowsEveryKindOfHandOff() {
        // stop (by marker) -> the hand-offs `where` shows there, nearest first: separator, then a frame of the scheduling code
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("shipped", List.of("— scheduled by runAsync on \"pricing-pool\", ", frame("ship", "to-shipping"),
                "— scheduled by submit on \"intake-pool\", ", frame("price", "to-pricing"),
                "— scheduled by execute on \"main\", ", frame("threePools", "to-intake")));
        expected.put("platform-from-virtual", List.of("— scheduled by Thread.start on virtual#", "AsyncCoverage.lambda$platformFromVirtual$",
                "(" + at("start-platform") + ")", "— scheduled by startVirtualThread on \"main\", ", frame("platformFromVirtual", "start-virtual")));
        expected.put("composed", List.of("— scheduled by supplyAsync on \"intake-pool\", ", "AsyncCoverage.lambda$composeQuote$",
                "(" + at("compose") + ")", "— scheduled by thenCompose on \"main\", ", frame("composeQuote", "compose")));
        expected.put("recovered", List.of("— scheduled by exceptionally on \"main\", ", frame("recoverFailure", "exceptionally")));
        // anyOf/allOf: the dependent's own hand-off, then the input that completed the combined future
        expected.put("any-of", List.of("— scheduled by thenApply on \"main\", ", frame("raceQuotes", "any-of-stage"),
                "— scheduled by supplyAsync on \"main\", ", frame("raceQuotes", "any-input")));
        expected.put("all-of", List.of("— scheduled by thenApply on \"main\", ", frame("gatherQuotes", "all-of-stage"),
                "— scheduled by supplyAsync on \"main\", ", frame("gatherQuotes", "all-input")));
        expected.put("invoked", List.of("— scheduled by invokeAll on \"main\", ", frame("checkAll", "invoke-all")));
        expected.put("fork-join-invoked", List.of("— scheduled by invokeAll on \"main\", ", frame("forkJoinCheckAll", "fork-join-invoke-all")));
        expected.put("scheduled", List.of("— scheduled by schedule on \"main\", ", frame("remindLater", "schedule")));
        expected.put("per-task", List.of("— scheduled by submit on \"main\", ", frame("perTaskThreads", "per-task-submit")));
        expected.put("per-virtual-task", List.of("— scheduled by submit on \"main\", ", frame("perTaskThreads", "per-virtual-submit")));

        List<String> input = new ArrayList<>();
        for (String mark : expected.keySet()) {
            input.add("break " + at(mark));
        }
        for (int i = 0; i < expected.size(); i++) {
            input.addAll(List.of("cont", "wait 30s", "where"));
        }
        input.add("quit");
        Cli.Run run = Cli.run(Cli.input(input.toArray(String[]::new)), Cli.withTarget(List.of("debug"), AsyncCoverage.class));

        assertThat(run.exit()).as(run.toString()).isZero();
        String out = run.out();
        int number = 1;
        for (Map.Entry<String, List<String>> stop : expected.entrySet()) {
            int start = out.indexOf("Breakpoint " + number + " hit");
            assertThat(start).as("stop at " + stop.getKey() + "\n" + run).isNotNegative();
            int end = out.indexOf("Breakpoint " + (number + 1) + " hit");
            String where = out.substring(start, end < 0 ? out.length() : end);
            assertThat(where).as(stop.getKey() + "\n" + run).containsSubsequence(stop.getValue());
            number++;
        }
    }

    @Test
    void jsonWhereCarriesAChainAcrossThreePools() {
        Cli.Run run = Cli.run(Cli.withTarget(List.of("debug", "--json",
                "--exec", "break " + at("shipped"),
                "--exec", "cont",
                "--exec", "wait 30s",
                "--exec", "where",
                "--exec", "where full",
                "--exec", "quit"), AsyncCoverage.class));

        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode async = run.result("where", 0).path("async");
        assertThat(async.findValuesAsText("kind")).as(run.toString()).containsExactly("runAsync", "submit", "execute");
        assertThat(async.findValuesAsText("thread")).containsExactly("\"pricing-pool\"", "\"intake-pool\"", "\"main\"");
        List<String> schedulers = new ArrayList<>();
        for (JsonNode handOff : async) {
            assertThat(handOff.path("ageMillis").asLong()).isNotNegative();
            for (JsonNode frame : handOff.path("frames")) {
                if (!frame.path("machinery").asBoolean()) {
                    schedulers.add(frame.path("method").asText() + ":" + frame.path("line").asInt());
                    break;
                }
            }
        }
        assertThat(schedulers).containsExactly("ship:" + Markers.line(AsyncCoverage.class, "to-shipping"),
                "price:" + Markers.line(AsyncCoverage.class, "to-pricing"), "threePools:" + Markers.line(AsyncCoverage.class, "to-intake"));

        // the machinery's lines are looked up only for `where full`
        assertThat(runAsyncLine(async)).isNotPositive();
        assertThat(runAsyncLine(run.result("where", 1).path("async"))).as(run.toString()).isPositive();
    }

    /** The line of the {@code CompletableFuture.runAsync} frame in the first hand-off. */
    private static int runAsyncLine(JsonNode async) {
        for (JsonNode frame : async.get(0).path("frames")) {
            if (frame.path("class").asText().equals("java.util.concurrent.CompletableFuture") && frame.path("method").asText().equals("runAsync")) {
                return frame.path("line").asInt();
            }
        }
        throw new AssertionError("no CompletableFuture.runAsync frame in " + async);
    }
}
