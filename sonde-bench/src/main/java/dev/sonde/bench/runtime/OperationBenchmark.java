package dev.sonde.bench.runtime;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.operations.OperationTracker;
import dev.sonde.runtime.settings.RuntimeSettings;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A synchronous operation tracked by Sonde against the same work timed by a Micrometer
 * {@link Timer} (the usual way services time work), and the work alone. {@code work} is the
 * amount of CPU work per call in JMH tokens; 0 leaves the tracking cost alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class OperationBenchmark {

    @Param({"0", "100"})
    public int work;

    private SondeRuntime runtime;
    private OperationTracker tracker;
    private Timer timer;
    private Supplier<Long> unitOfWork;

    @Setup
    public void start() {
        runtime = SondeRuntime.create(RuntimeSettings.defaults());
        tracker = runtime.operations().tracker("orders.load");
        timer = Timer.builder("orders.load").register(new SimpleMeterRegistry());
        int tokens = work;
        unitOfWork = () -> {
            Blackhole.consumeCPU(tokens);
            return 42L;
        };
    }

    @TearDown
    public void stop() {
        runtime.close();
    }

    @Benchmark
    public Long workAlone() {
        return unitOfWork.get();
    }

    @Benchmark
    public Long sondeTrack() {
        return tracker.track(unitOfWork);
    }

    @Benchmark
    public Long micrometerTimerRecord() {
        return timer.record(unitOfWork);
    }
}
