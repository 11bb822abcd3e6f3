package dev.sonde.bench.runtime;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry's strict context storage, which records a stack trace for every scope so it can
 * report scopes closed on the wrong thread or never closed: the peer of Sonde's scope checks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.opentelemetry.context.enableStrictContext=true")
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class StrictOpenTelemetryScopeBenchmark {

    private static final ContextKey<String> KEY = ContextKey.named("request");

    @Benchmark
    public Object openTelemetryStrictScope() {
        try (Scope scope = Context.current().with(KEY, "request").makeCurrent()) {
            return scope;
        }
    }
}
