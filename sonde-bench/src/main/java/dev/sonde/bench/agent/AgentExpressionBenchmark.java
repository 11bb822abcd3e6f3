package dev.sonde.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Markers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One call of {@link BenchTarget#hit} in the benchmark's own JVM, with the Sonde agent loaded into it and, per
 * {@code probe}: no probe; a logpoint whose condition is false on every hit; a logpoint of an int and a String at
 * the default 100 lines/s (the other hits are counted, not formatted); the same logpoint printing every hit (each
 * line formatted and queued for the client, which reads them). Each is its own fork, so the code JIT-compiles with
 * exactly that probe woven in.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class AgentExpressionBenchmark {

    private static final String[] NAMES = {"order-0", "order-1", "order-2", "order-3", "order-4", "order-5", "order-6", "order-7"};
    private static final String TEXT = "i={i} name={name}";

    @Param({"none", "falseCondition", "limitedLog", "everyHitLog"})
    public String probe;

    private AgentClient client;
    private int i;
    private long lines;

    @Setup(Level.Trial)
    public void arm() {
        client = AgentClient.connect(ProcessHandle.current().pid());
        client.onEvent(event -> lines++);
        ObjectNode log = AgentClient.op("log").put("location", "BenchTarget.java:" + Markers.line(BenchTarget.class, "hit")).put("text", TEXT);
        ObjectNode request = switch (probe) {
            case "none" -> null;
            case "falseCondition" -> log.put("condition", "i < 0 && name.isEmpty()");
            case "limitedLog" -> log.put("limit", 100);
            default -> log.put("limit", 1_000_000_000).put("cpuPercent", 100).put("sharedBudget", false);
        };
        if (request != null) {
            JsonNode answer = client.request(request);
            if (!answer.path("ok").asBoolean()) {
                throw new IllegalStateException("the probe was refused: " + answer.path("error").asText());
            }
        }
    }

    @TearDown(Level.Trial)
    public void detach() {
        client.request(AgentClient.op("detach"));
        client.close();
    }

    @Benchmark
    public int hit() {
        int n = i++;
        return BenchTarget.hit(n, NAMES[n & 7]);
    }
}
