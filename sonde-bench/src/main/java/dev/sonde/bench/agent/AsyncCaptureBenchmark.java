package dev.sonde.bench.agent;

import com.sun.tools.attach.VirtualMachine;
import dev.sonde.core.agent.AgentClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What async-stack capture adds to hand-offs: a 10-stage CompletableFuture chain (supplyAsync, then nine
 * thenApplyAsync on the same executor) and an empty task submitted to an executor. Scores are per hand-off (a stage of
 * the chain, or the task), so {@code on - off} is the time capture adds to one hand-off. Capture {@code off}: no agent
 * in the fork; {@code agent}: the agent loaded without async capture (what {@code --no-async-stacks} leaves);
 * {@code on}: the agent with {@code async-only} and its default limits (every hand-off up to the rate cap, then one in
 * 64); {@code all}: every hand-off captured (the cap out of reach), the cost of the capture itself; {@code naive}: no
 * agent, and a {@code new Throwable()} per hand-off at scheduling time, what a capture that keeps whole stacks costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Djdk.attach.allowAttachSelf=true", "-XX:+EnableDynamicAgentLoading"})
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class AsyncCaptureBenchmark {

    static final int STAGES = 10;

    @Param({"off", "agent", "on", "all", "naive"})
    public String capture;

    @Param({"pool", "virtual"})
    public String executor;

    private ExecutorService tasks;
    private volatile Throwable sink;

    @Setup
    public void start() throws Exception {
        String options = switch (capture) {
            case "agent" -> "";
            case "on" -> "async-only";
            case "all" -> "async-only,async-rate=2000000000";
            default -> null;
        };
        if (options != null) {
            VirtualMachine self = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
            try {
                self.loadAgent(AgentClient.agentJar().toString(), options);
            } finally {
                self.detach();
            }
            if (options.startsWith("async") != "on".equals(System.getProperty("sonde.agent.async"))) {
                throw new IllegalStateException("the agent did not start async capture as asked (" + options + ")");
            }
        }
        tasks = executor.equals("virtual") ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(2);
    }

    @TearDown
    public void stop() {
        tasks.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(STAGES)
    public Integer chainOfTenStages() {
        boolean naive = capture.equals("naive");
        CompletableFuture<Integer> chain = CompletableFuture.supplyAsync(naive ? naive(() -> 0) : () -> 0, tasks);
        for (int i = 1; i < STAGES; i++) {
            chain = chain.thenApplyAsync(naive ? naive((Function<Integer, Integer>) x -> x + 1) : x -> x + 1, tasks);
        }
        return chain.join();
    }

    @Benchmark
    public Object submitEmptyTask() throws Exception {
        Runnable empty = capture.equals("naive") ? naive(() -> { }) : () -> { };
        return tasks.submit(empty).get();
    }

    private java.util.function.Supplier<Integer> naive(java.util.function.Supplier<Integer> supplier) {
        Throwable scheduledAt = new Throwable();
        return () -> {
            sink = scheduledAt;
            return supplier.get();
        };
    }

    private Function<Integer, Integer> naive(Function<Integer, Integer> function) {
        Throwable scheduledAt = new Throwable();
        return x -> {
            sink = scheduledAt;
            return function.apply(x);
        };
    }

    private Runnable naive(Runnable task) {
        Throwable scheduledAt = new Throwable();
        return () -> {
            sink = scheduledAt;
            task.run();
        };
    }
}
