package dev.sonde.dashboard.watch;

/**
 * The JVM-wide figures every watched JVM gives, from the runtime's snapshot or from the platform MBeans.
 * CPU loads are 0..1 or negative when not reported; a virtual-thread figure is -1 before JDK 24.
 */
record SystemReading(double processCpu, double systemCpu, long heapUsed, long heapMax, int threads, long gcTimeMillis,
                     long virtualMounted, long virtualQueued) {
}
