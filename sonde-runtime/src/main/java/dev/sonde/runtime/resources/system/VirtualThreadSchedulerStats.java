package dev.sonde.runtime.resources.system;

/**
 * The virtual-thread scheduler's figures, from the {@code jdk.management:type=VirtualThreadScheduler}
 * MBean that JDK 24 and later offer.
 *
 * @param parallelism  carrier threads the scheduler aims to keep busy
 * @param poolSize     carrier threads that exist now
 * @param mounted      virtual threads running on a carrier now
 * @param queued       virtual threads waiting for a carrier
 */
public record VirtualThreadSchedulerStats(int parallelism, int poolSize, int mounted, long queued) {
}
