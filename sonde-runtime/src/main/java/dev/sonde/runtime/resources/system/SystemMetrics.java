package dev.sonde.runtime.resources.system;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * CPU, memory, garbage collection and thread figures from the platform MBeans. Figures that only
 * some JVMs offer (CPU loads, the virtual-thread scheduler) are read by name, so the library needs
 * nothing beyond Java 17 to compile and runs on any JVM.
 */
public final class SystemMetrics {

    private static final String OPERATING_SYSTEM = "java.lang:type=OperatingSystem";
    private static final String VIRTUAL_THREAD_SCHEDULER = "jdk.management:type=VirtualThreadScheduler";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public SystemMetrics() {
        // The JVM reports CPU load since the previous reading, and 0 for the first one: take that one now,
        // so that the first snapshot shows the load since the runtime started.
        number(OPERATING_SYSTEM, "ProcessCpuLoad", -1);
        cpuLoad();
    }

    public SystemSnapshot snapshot() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
        List<GcStats> collectors = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collectors.add(new GcStats(gc.getName(), Math.max(0, gc.getCollectionCount()), Math.max(0, gc.getCollectionTime())));
        }
        return new SystemSnapshot(
                number(OPERATING_SYSTEM, "ProcessCpuLoad", -1).doubleValue(),
                cpuLoad(),
                Runtime.getRuntime().availableProcessors(),
                heap.getUsed(), heap.getCommitted(), heap.getMax(),
                nonHeap.getUsed(), nonHeap.getCommitted(),
                List.copyOf(collectors),
                threads.getThreadCount(), threads.getDaemonThreadCount(), threads.getPeakThreadCount(),
                threads.getTotalStartedThreadCount(),
                virtualThreadScheduler());
    }

    /** {@code CpuLoad} from Java 14; older JVMs call it {@code SystemCpuLoad}. */
    private double cpuLoad() {
        double load = number(OPERATING_SYSTEM, "CpuLoad", Double.NaN).doubleValue();
        return Double.isNaN(load) ? number(OPERATING_SYSTEM, "SystemCpuLoad", -1).doubleValue() : load;
    }

    private Optional<VirtualThreadSchedulerStats> virtualThreadScheduler() {
        try {
            ObjectName name = new ObjectName(VIRTUAL_THREAD_SCHEDULER);
            if (!server.isRegistered(name)) {
                return Optional.empty();
            }
            return Optional.of(new VirtualThreadSchedulerStats(
                    number(VIRTUAL_THREAD_SCHEDULER, "Parallelism", -1).intValue(),
                    number(VIRTUAL_THREAD_SCHEDULER, "PoolSize", -1).intValue(),
                    number(VIRTUAL_THREAD_SCHEDULER, "MountedVirtualThreadCount", -1).intValue(),
                    number(VIRTUAL_THREAD_SCHEDULER, "QueuedVirtualThreadCount", -1).longValue()));
        } catch (JMException malformed) {
            return Optional.empty();
        }
    }

    private Number number(String objectName, String attribute, double absent) {
        try {
            Object value = server.getAttribute(new ObjectName(objectName), attribute);
            return value instanceof Number ? (Number) value : absent;
        } catch (JMException | RuntimeException notOffered) {
            return absent;
        }
    }
}
