package dev.sonde.dashboard.watch;

import dev.sonde.dashboard.history.Sample;
import dev.sonde.dashboard.history.Sample.OperationSample;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.OperationFigures;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns successive readings of one JVM into samples: throughput is the change of each operation's ended
 * count since the previous reading, GC time per second likewise. The first reading of a JVM has no rates.
 */
final class SampleDeriver {

    private static final double MB = 1024.0 * 1024.0;

    private long previousAt = -1;
    private long previousGcMillis = -1;
    private final Map<String, Long> previousEnded = new HashMap<>();

    Sample next(long atMillis, RuntimeSnapshot runtime, SystemReading system) {
        double seconds = previousAt < 0 ? Double.NaN : Math.max(atMillis - previousAt, 1) / 1000.0;
        Map<String, OperationSample> operations = new LinkedHashMap<>();
        double throughput = Double.NaN;
        double errorRate = Double.NaN;
        double worstP99 = Double.NaN;
        double inFlight = Double.NaN;
        if (runtime != null && runtime.operations() != null) {
            throughput = 0;
            long windowCount = 0;
            long windowErrors = 0;
            inFlight = runtime.operations().inFlight();
            for (OperationFigures op : runtime.operations().byName()) {
                long ended = op.succeeded() + op.failed() + op.cancelled() + op.timedOut();
                Long before = previousEnded.put(op.name(), ended);
                double rate = before == null || Double.isNaN(seconds) ? Double.NaN : Math.max(0, ended - before) / seconds;
                double p99 = op.window() == null || op.window().count() == 0 ? Double.NaN : op.window().p99Millis();
                operations.put(op.name(), new OperationSample(rate, p99));
                if (!Double.isNaN(rate)) {
                    throughput += rate;
                }
                if (!Double.isNaN(p99) && (Double.isNaN(worstP99) || p99 > worstP99)) {
                    worstP99 = p99;
                }
                if (op.window() != null) {
                    windowCount += op.window().count();
                    windowErrors += op.window().errors();
                }
            }
            if (Double.isNaN(seconds)) {
                throughput = Double.NaN;
            }
            errorRate = windowCount == 0 ? Double.NaN : (double) windowErrors / windowCount;
        }
        double gcPerSecond = Double.NaN;
        if (system.gcTimeMillis() >= 0) {
            if (previousGcMillis >= 0 && !Double.isNaN(seconds)) {
                gcPerSecond = Math.max(0, system.gcTimeMillis() - previousGcMillis) / seconds;
            }
            previousGcMillis = system.gcTimeMillis();
        }
        previousAt = atMillis;
        return new Sample(atMillis, throughput, errorRate, worstP99, inFlight,
                share(system.processCpu()), share(system.systemCpu()),
                system.heapUsed() < 0 ? Double.NaN : system.heapUsed() / MB,
                system.heapMax() <= 0 ? Double.NaN : system.heapMax() / MB,
                system.threads() < 0 ? Double.NaN : system.threads(),
                gcPerSecond,
                system.virtualMounted() < 0 ? Double.NaN : system.virtualMounted(),
                system.virtualQueued() < 0 ? Double.NaN : system.virtualQueued(),
                operations);
    }

    /** A 0..1 load as a percentage, or NaN when the JVM does not report it. */
    private static double share(double load) {
        return load < 0 ? Double.NaN : load * 100.0;
    }
}
