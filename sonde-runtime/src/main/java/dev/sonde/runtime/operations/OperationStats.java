package dev.sonde.runtime.operations;

import dev.sonde.runtime.stats.WindowSnapshot;

import java.util.Map;

/**
 * Figures of one operation name: totals since start, and the sliding window's count, error rate and
 * durations.
 */
public record OperationStats(String name, long started, long inFlight, long succeeded, long failed, long cancelled,
                             long timedOut, Map<String, Long> failuresByErrorClass, WindowSnapshot window) {

    /** Operations that ended, whatever the outcome. */
    public long completed() {
        return succeeded + failed + cancelled + timedOut;
    }
}
