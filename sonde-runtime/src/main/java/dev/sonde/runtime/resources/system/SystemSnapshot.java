package dev.sonde.runtime.resources.system;

import java.util.List;
import java.util.Optional;

/**
 * The process and the machine at one moment. CPU loads are fractions from 0 to 1, or -1 when the
 * JVM does not report them; memory is in bytes ({@code heapMax} is -1 when there is no limit).
 */
public record SystemSnapshot(double processCpuLoad, double systemCpuLoad, int availableProcessors,
                             long heapUsed, long heapCommitted, long heapMax,
                             long nonHeapUsed, long nonHeapCommitted,
                             List<GcStats> garbageCollectors,
                             int threadCount, int daemonThreadCount, int peakThreadCount, long startedThreadCount,
                             Optional<VirtualThreadSchedulerStats> virtualThreadScheduler) {

    public long gcCollections() {
        return garbageCollectors.stream().mapToLong(GcStats::collections).sum();
    }

    public long gcTimeMillis() {
        return garbageCollectors.stream().mapToLong(GcStats::timeMillis).sum();
    }
}
