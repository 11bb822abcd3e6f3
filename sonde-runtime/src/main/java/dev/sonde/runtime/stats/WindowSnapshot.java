package dev.sonde.runtime.stats;

import java.time.Duration;

/**
 * Figures of a sliding window at one moment: how many samples, how many were errors, and their
 * durations. Percentiles are accurate to within about 6%.
 */
public record WindowSnapshot(Duration window, long count, long errors, long sumNanos, long p50Nanos, long p99Nanos,
                             long maxNanos) {

    /** Errors over samples, 0 when there are no samples. */
    public double errorRate() {
        return count == 0 ? 0 : (double) errors / count;
    }

    /** Mean duration in nanoseconds, 0 when there are no samples. */
    public double meanNanos() {
        return count == 0 ? 0 : (double) sumNanos / count;
    }
}
