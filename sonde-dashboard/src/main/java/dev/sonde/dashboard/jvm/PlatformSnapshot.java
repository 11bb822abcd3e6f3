package dev.sonde.dashboard.jvm;

import java.util.List;

/** What a JVM says of itself over its platform MBeans (no sonde-runtime needed). */
public record PlatformSnapshot(double processCpuLoad, double systemCpuLoad, long heapUsed, long heapMax, int threadCount,
                               long gcTimeMillis, long virtualMounted, long virtualQueued, List<Cycle> deadlocks,
                               List<String> blockedThreads) {

    public record Cycle(List<String> threads) {
    }
}
