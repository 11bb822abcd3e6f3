package dev.sonde.bench.runtime;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.settings.RuntimeSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * What {@code tasks.captureStacks} adds to a submit on an executor sonde-runtime wraps. The wrapped executor runs the
 * task on the calling thread, so that the figure is the wrapping and the capture alone, without a thread hand-off's
 * noise: {@code unwrapped} is the bare executor, {@code wrapped} the same through {@code TaskExecutors.wrap} with the
 * setting at {@code captureStacks} (OFF, SAMPLED at the default one in 128, ALL; 32 frames at most).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class TaskStacksBenchmark {

    @Param({"OFF", "SAMPLED", "ALL"})
    public String captureStacks;

    private SondeRuntime runtime;
    private final Executor direct = Runnable::run;
    private Executor wrapped;
    private final Runnable empty = () -> { };

    @Setup
    public void start() {
        runtime = SondeRuntime.create(RuntimeSettings.defaults());
        runtime.settings().apply(Map.of("tasks.captureStacks", captureStacks));
        wrapped = runtime.tasks().wrap("bench", direct);
    }

    @TearDown
    public void stop() {
        runtime.close();
    }

    @Benchmark
    public void unwrapped() {
        direct.execute(empty);
    }

    @Benchmark
    public void wrapped() {
        wrapped.execute(empty);
    }
}
