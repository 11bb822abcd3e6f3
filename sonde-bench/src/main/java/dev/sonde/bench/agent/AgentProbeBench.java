package dev.sonde.bench.agent;

import dev.sonde.core.agent.AgentClient;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.TargetJvm;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost per hit of an in-process logpoint whose output is rate limited (100 lines/s), end to end: the loop rate
 * of {@link BenchTarget} (one thread, as fast as it goes) before the agent, with the agent loaded and no probe, and
 * with a logpoint of an int and a String on the loop's method. Also the time from attaching to the probe armed.
 */
public final class AgentProbeBench {

    /** {@code window}: each rate is measured over this long, after {@code warmup}. */
    public record Settings(Duration window, Duration warmup) {
    }

    /** Hits per second of the target's loop in each state, and the time from connect to the logpoint armed. */
    public record Result(double plainHitsPerSecond, double idleAgentHitsPerSecond, double logpointHitsPerSecond,
                         long linesReceived, long millisToArmed) {

        /** What the logpoint adds to one hit, in nanoseconds, over the loop with the agent idle. */
        public double nanosPerHit() {
            return 1e9 / logpointHitsPerSecond - 1e9 / idleAgentHitsPerSecond;
        }
    }

    private static final Pattern REPORT = Pattern.compile("calls (\\d+) at (\\d+)");

    private AgentProbeBench() {
    }

    public static Result run(Settings settings) {
        try (TargetJvm target = TargetJvm.start(line -> line.startsWith("calls "), "-XX:TieredStopAtLevel=4", "-XX:+EnableDynamicAgentLoading", "-Xmx128m",
                "-cp", Markers.classPath().toString(), BenchTarget.class.getName(), "--report")) {
            double plain = rate(target, settings);
            long started = System.nanoTime();
            try (AgentClient client = AgentClient.connect(target.pid())) {
                long[] lines = new long[1];
                client.onEvent(event -> {
                    if (event.path("event").asText().equals("log")) {
                        lines[0]++;
                    }
                });
                double idle = rate(target, settings);
                started = System.nanoTime();
                var answer = client.request(AgentClient.op("log").put("location", "BenchTarget.java:" + Markers.line(BenchTarget.class, "hit"))
                        .put("text", "i={i} name={name}").put("limit", 100));
                long armed = (System.nanoTime() - started) / 1_000_000;
                if (!answer.path("ok").asBoolean()) {
                    throw new IllegalStateException("the logpoint was refused: " + answer.path("error").asText());
                }
                double probed = rate(target, settings);
                client.request(AgentClient.op("detach"));
                return new Result(plain, idle, probed, lines[0], armed);
            }
        }
    }

    /** The loop's hits per second over the window, from the target's own "calls N at NANOS" lines. */
    private static double rate(TargetJvm target, Settings settings) {
        pause(settings.warmup());
        long[] first = last(target.output());
        pause(settings.window());
        long[] second = last(target.output());
        return (second[0] - first[0]) * 1e9 / (second[1] - first[1]);
    }

    private static long[] last(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            Matcher m = REPORT.matcher(output.get(i));
            if (m.matches()) {
                return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
            }
        }
        throw new IllegalStateException("the target printed no calls yet: " + output);
    }

    /** A measurement window: the target runs while this thread waits. */
    private static void pause(Duration duration) {
        TargetJvm.sleep(duration.toMillis());
    }
}
