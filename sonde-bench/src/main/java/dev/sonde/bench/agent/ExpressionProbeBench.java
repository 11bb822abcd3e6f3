package dev.sonde.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.fixtures.BenchLoop;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.TargetJvm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a probe's compiled expressions cost the target per hit, end to end on {@link BenchTarget}'s loop (one thread,
 * as fast as it goes): a condition that is false on every hit, and a logpoint with two expressions (an int and a
 * String) whose lines are rate limited (100/s, the default) or not limited at all (every hit formatted and sent).
 * Each is measured in rounds, alternating with the agent idle, and the median difference per hit is reported.
 */
public final class ExpressionProbeBench {

    /** {@code rounds} pairs of idle and probed windows, each {@code window} long after {@code warmup}. */
    public record Settings(Duration window, Duration warmup, int rounds) {
    }

    /** Median nanoseconds each probe adds to one hit, over the loop with the agent loaded and idle. */
    public record Result(double idleHitsPerSecond, double falseConditionNanos, double limitedLogNanos, double everyHitLogNanos,
                         long linesReceived) {
    }

    private static final String TEXT = "i={i} name={name}";

    private ExpressionProbeBench() {
    }

    public static void main(String[] args) {
        int millis = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.out.println(run(new Settings(Duration.ofMillis(millis), Duration.ofMillis(millis / 2), rounds)));
    }

    public static Result run(Settings settings) {
        AgentProbeBench.Settings window = new AgentProbeBench.Settings(settings.window(), settings.warmup());
        try (TargetJvm target = TargetJvm.start(line -> line.startsWith("calls "), "-XX:TieredStopAtLevel=4", "-XX:+EnableDynamicAgentLoading",
                "-Xmx128m", "-cp", Markers.classPath().toString(), BenchLoop.class.getName(), "--report");
             AgentClient client = AgentClient.connect(target.pid())) {
            long[] lines = new long[1];
            client.onEvent(event -> {
                if (event.path("event").asText().equals("log")) {
                    lines[0]++;
                }
            });
            String location = "BenchTarget.java:" + Markers.line(BenchTarget.class, "hit");
            List<Double> idle = new ArrayList<>();
            List<Double> falseCondition = new ArrayList<>();
            List<Double> limited = new ArrayList<>();
            List<Double> everyHit = new ArrayList<>();
            for (int round = 0; round < settings.rounds(); round++) {
                double idleRate = AgentProbeBench.rate(target, window);
                idle.add(idleRate);
                falseCondition.add(nanosOver(idleRate, probed(client, target, window, AgentClient.op("log").put("location", location)
                        .put("text", TEXT).put("condition", "i < 0 && name.isEmpty()"))));
                limited.add(nanosOver(idleRate, probed(client, target, window, AgentClient.op("log").put("location", location)
                        .put("text", TEXT).put("limit", 100))));
                everyHit.add(nanosOver(idleRate, probed(client, target, window, AgentClient.op("log").put("location", location)
                        .put("text", TEXT).put("limit", 100_000_000).put("cpuPercent", 100).put("sharedBudget", false))));
            }
            return new Result(median(idle), median(falseCondition), median(limited), median(everyHit), lines[0]);
        }
    }

    private static double probed(AgentClient client, TargetJvm target, AgentProbeBench.Settings window,
                                 com.fasterxml.jackson.databind.node.ObjectNode request) {
        JsonNode answer = client.request(request);
        if (!answer.path("ok").asBoolean()) {
            throw new IllegalStateException("the probe was refused: " + answer.path("error").asText());
        }
        try {
            return AgentProbeBench.rate(target, window);
        } finally {
            client.request(AgentClient.op("remove").put("probe", answer.path("probe").path("id").asInt()));
        }
    }

    private static double nanosOver(double idleRate, double probedRate) {
        return 1e9 / probedRate - 1e9 / idleRate;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
