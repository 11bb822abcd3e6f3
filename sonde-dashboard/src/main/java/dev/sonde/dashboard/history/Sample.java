package dev.sonde.dashboard.history;

import java.util.Map;

/**
 * The figures of one poll of one JVM, derived from what it reported: rates come from the change of its
 * counters since the previous poll. A figure the JVM does not report is NaN.
 *
 * @param operations per operation name: throughput (ended per second) and p99 over the runtime's window
 */
public record Sample(long atMillis, double throughput, double errorRate, double p99Millis, double inFlight,
                     double processCpu, double systemCpu, double heapUsedMb, double heapMaxMb, double threads,
                     double gcMillisPerSecond, double virtualMounted, double virtualQueued,
                     Map<String, OperationSample> operations) {

    public record OperationSample(double throughput, double p99Millis) {
    }

    /** The series every JVM has, in the order {@link JvmHistory} stores them. */
    public static final String[] SERIES = {"throughput", "errorRate", "p99Millis", "inFlight", "processCpu", "systemCpu",
            "heapUsedMb", "heapMaxMb", "threads", "gcMillisPerSecond", "virtualMounted", "virtualQueued"};

    /** The same sample without its per-operation figures, for the overview. */
    public Sample withoutOperations() {
        return new Sample(atMillis, throughput, errorRate, p99Millis, inFlight, processCpu, systemCpu, heapUsedMb, heapMaxMb,
                threads, gcMillisPerSecond, virtualMounted, virtualQueued, Map.of());
    }

    double[] seriesValues() {
        return new double[] {throughput, errorRate, p99Millis, inFlight, processCpu, systemCpu, heapUsedMb, heapMaxMb,
                threads, gcMillisPerSecond, virtualMounted, virtualQueued};
    }
}
