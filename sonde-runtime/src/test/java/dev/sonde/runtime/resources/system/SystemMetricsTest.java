package dev.sonde.runtime.resources.system;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class SystemMetricsTest {

    @Test
    void readsTheProcessAndTheMachine() {
        System.gc();

        SystemSnapshot system = new SystemMetrics().snapshot();

        assertThat(system.heapUsed()).isPositive();
        assertThat(system.heapCommitted()).isGreaterThanOrEqualTo(system.heapUsed());
        assertThat(system.nonHeapUsed()).isPositive();
        assertThat(system.threadCount()).isGreaterThanOrEqualTo(system.daemonThreadCount()).isPositive();
        assertThat(system.peakThreadCount()).isGreaterThanOrEqualTo(system.threadCount());
        assertThat(system.availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(system.garbageCollectors()).isNotEmpty();
        assertThat(system.gcCollections()).isPositive();
        assertThat(system.processCpuLoad()).isBetween(0.0, 1.0);
        assertThat(system.systemCpuLoad()).isBetween(0.0, 1.0);
    }

    @Test
    void readsTheVirtualThreadSchedulerWhereTheJdkOffersIt() {
        SystemSnapshot system = new SystemMetrics().snapshot();

        if (Runtime.version().feature() >= 24) {
            VirtualThreadSchedulerStats scheduler = system.virtualThreadScheduler().orElseThrow();
            assertThat(scheduler.parallelism()).isEqualTo(
                    Integer.getInteger("jdk.virtualThreadScheduler.parallelism", ManagementFactory.getOperatingSystemMXBean().getAvailableProcessors()));
            assertThat(scheduler.queued()).isGreaterThanOrEqualTo(0);
        } else {
            assertThat(system.virtualThreadScheduler()).isEmpty();
        }
    }
}
