package dev.sonde.bench.runtime;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.scopes.Scope;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One scope entered and exited, with Sonde's default settings, against a plain ThreadLocal stack and
 * OpenTelemetry's context scopes (default storage; {@link StrictOpenTelemetryScopeBenchmark} has the
 * strict one, which needs its own JVM).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class ScopeBenchmark {

    private static final ContextKey<String> KEY = ContextKey.named("request");

    private SondeRuntime runtime;
    private Scopes scopes;
    private final ThreadLocalStack stack = new ThreadLocalStack();

    @Setup
    public void start() {
        runtime = SondeRuntime.create(RuntimeSettings.defaults());
        scopes = runtime.scopes();
    }

    @TearDown
    public void stop() {
        runtime.close();
    }

    @Benchmark
    public boolean sondeScope() {
        try (Scope scope = scopes.enter("request")) {
            return scope.isOpen();
        }
    }

    @Benchmark
    public Object threadLocalPushPop() {
        Object top = stack.push("request");
        stack.pop();
        return top;
    }

    @Benchmark
    public Object openTelemetryScope() {
        try (io.opentelemetry.context.Scope scope = Context.current().with(KEY, "request").makeCurrent()) {
            return scope;
        }
    }

    /** The least a thread-confined scope stack costs: one ThreadLocal lookup each way, no checks. */
    static final class ThreadLocalStack {
        private static final class Frames {
            Object[] items = new Object[16];
            int depth;
        }

        private final ThreadLocal<Frames> frames = ThreadLocal.withInitial(Frames::new);

        Object push(Object item) {
            Frames current = frames.get();
            current.items[current.depth++] = item;
            return item;
        }

        void pop() {
            Frames current = frames.get();
            current.items[--current.depth] = null;
        }
    }
}
