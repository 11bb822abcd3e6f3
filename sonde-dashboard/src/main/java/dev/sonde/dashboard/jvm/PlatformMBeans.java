package dev.sonde.dashboard.jvm;

import dev.sonde.dashboard.jvm.RuntimeSnapshot.Deadlock;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.GarbageCollector;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.LockedThread;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.SystemFigures;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.ThreadRef;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.VirtualThreadScheduler;

import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Reads a JVM's platform MBeans over one connection with few round trips: one {@code getAttributes} per MBean,
 * one thread dump without stacks, and stacks with lock details only for the threads stuck on a lock. What does
 * not change while the JVM runs (its collectors, its version, whether it has a virtual-thread scheduler MBean)
 * is read once, by {@link #probe}.
 */
final class PlatformMBeans {

    static final ObjectName OPERATING_SYSTEM = name(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
    static final ObjectName MEMORY = name(ManagementFactory.MEMORY_MXBEAN_NAME);
    static final ObjectName THREADING = name(ManagementFactory.THREAD_MXBEAN_NAME);
    static final ObjectName RUNTIME = name(ManagementFactory.RUNTIME_MXBEAN_NAME);
    static final ObjectName COLLECTORS = name(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*");
    /** JDK 24 and later. */
    static final ObjectName VIRTUAL_THREAD_SCHEDULER = name("jdk.management:type=VirtualThreadScheduler");

    /** Frames kept per stuck thread: enough to see where it waits and who called it. */
    static final int FRAMES = 12;

    private static final String[] CPU = {"ProcessCpuLoad", "CpuLoad", "SystemCpuLoad", "AvailableProcessors"};
    private static final String[] HEAP = {"HeapMemoryUsage", "NonHeapMemoryUsage"};
    private static final String[] THREAD_COUNTS = {"ThreadCount", "DaemonThreadCount", "PeakThreadCount", "TotalStartedThreadCount"};
    private static final String[] COLLECTOR = {"Name", "CollectionCount", "CollectionTime"};
    private static final String[] SCHEDULER = {"Parallelism", "PoolSize", "MountedVirtualThreadCount", "QueuedVirtualThreadCount"};

    private final MBeanServerConnection server;
    private final ThreadMXBean threads;
    private final List<ObjectName> collectors;
    private final boolean hasScheduler;
    private final long pid;
    private final String vmName;
    private final String vmVersion;
    private final String command;

    private PlatformMBeans(MBeanServerConnection server, List<ObjectName> collectors, boolean hasScheduler, long pid, String vmName,
                           String vmVersion, String command) {
        this.server = server;
        this.threads = JMX.newMXBeanProxy(server, THREADING, ThreadMXBean.class);
        this.collectors = collectors;
        this.hasScheduler = hasScheduler;
        this.pid = pid;
        this.vmName = vmName;
        this.vmVersion = vmVersion;
        this.command = command;
    }

    /**
     * Reads what stays put, and takes a first CPU reading: the JVM reports CPU load since the previous reading,
     * so the first {@link #read} then shows the load since the connection opened rather than 0.
     *
     * @param readCommand whether to read the system properties for {@code sun.java.command} (a remote JVM's main class)
     */
    static PlatformMBeans probe(MBeanServerConnection server, boolean readCommand) throws IOException, JMException {
        List<ObjectName> collectors = new ArrayList<>(server.queryNames(COLLECTORS, null));
        collectors.sort(null);
        boolean hasScheduler = server.isRegistered(VIRTUAL_THREAD_SCHEDULER);
        List<String> wanted = new ArrayList<>(List.of("Pid", "Name", "VmName", "VmVersion"));
        if (readCommand) {
            wanted.add("SystemProperties");
        }
        Map<String, Object> runtime = attributes(RUNTIME, wanted.toArray(String[]::new), server);
        server.getAttributes(OPERATING_SYSTEM, new String[] {"ProcessCpuLoad", "CpuLoad"});
        return new PlatformMBeans(server, List.copyOf(collectors), hasScheduler, pid(runtime), text(runtime.get("VmName")),
                text(runtime.get("VmVersion")), command(runtime.get("SystemProperties")));
    }

    /** The JVM's pid by its RuntimeMXBean, or -1 when it does not say. */
    long pid() {
        return pid;
    }

    /** {@code sun.java.command} (main class or jar, and arguments) when {@link #probe} read it and the JVM has it. */
    String command() {
        return command;
    }

    PlatformSnapshot read() throws IOException, JMException {
        Instant now = Instant.now();
        Map<String, Object> cpu = attributes(OPERATING_SYSTEM, CPU, server);
        Map<String, Object> memory = attributes(MEMORY, HEAP, server);
        Map<String, Object> counts = attributes(THREADING, THREAD_COUNTS, server);
        long uptime = number(server.getAttribute(RUNTIME, "Uptime"), -1).longValue();
        List<GarbageCollector> collections = new ArrayList<>();
        for (ObjectName collector : collectors) {
            Map<String, Object> figures = attributes(collector, COLLECTOR, server);
            collections.add(new GarbageCollector(text(figures.getOrDefault("Name", collector.getKeyProperty("name"))),
                    Math.max(0, number(figures.get("CollectionCount"), 0).longValue()),
                    Math.max(0, number(figures.get("CollectionTime"), 0).longValue())));
        }
        VirtualThreadScheduler scheduler = null;
        if (hasScheduler) {
            Map<String, Object> figures = attributes(VIRTUAL_THREAD_SCHEDULER, SCHEDULER, server);
            scheduler = new VirtualThreadScheduler(number(figures.get("Parallelism"), -1).intValue(),
                    number(figures.get("PoolSize"), -1).intValue(), number(figures.get("MountedVirtualThreadCount"), -1).intValue(),
                    number(figures.get("QueuedVirtualThreadCount"), -1).longValue());
        }
        MemoryUsage heap = usage(memory.get("HeapMemoryUsage"));
        MemoryUsage nonHeap = usage(memory.get("NonHeapMemoryUsage"));
        double systemLoad = number(cpu.get("CpuLoad"), Double.NaN).doubleValue();
        SystemFigures system = new SystemFigures(number(cpu.get("ProcessCpuLoad"), -1).doubleValue(),
                Double.isNaN(systemLoad) ? number(cpu.get("SystemCpuLoad"), -1).doubleValue() : systemLoad,
                number(cpu.get("AvailableProcessors"), -1).intValue(), heap.getUsed(), heap.getCommitted(), heap.getMax(),
                nonHeap.getUsed(), nonHeap.getCommitted(), number(counts.get("ThreadCount"), 0).intValue(),
                number(counts.get("DaemonThreadCount"), 0).intValue(), number(counts.get("PeakThreadCount"), 0).intValue(),
                number(counts.get("TotalStartedThreadCount"), 0).longValue(), List.copyOf(collections), scheduler);
        return locks(now, uptime, system);
    }

    /** Deadlock cycles and lock waits: a cheap dump without stacks first, details only for the threads stuck on a lock. */
    private PlatformSnapshot locks(Instant now, long uptime, SystemFigures system) {
        long[] deadlocked = threads.findDeadlockedThreads();
        Set<Long> inCycles = new LinkedHashSet<>();
        if (deadlocked != null) {
            Arrays.stream(deadlocked).forEach(inCycles::add);
        }
        Set<Long> stuck = new LinkedHashSet<>(inCycles);
        for (ThreadInfo info : threads.dumpAllThreads(false, false, 0)) {
            if (info != null && waitsForLock(info)) {
                stuck.add(info.getThreadId());
            }
        }
        if (stuck.isEmpty()) {
            return new PlatformSnapshot(now.toString(), uptime, vmName, vmVersion, system, List.of(), List.of());
        }
        Map<Long, ThreadInfo> details = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(stuck.stream().mapToLong(Long::longValue).toArray(), true, true, FRAMES)) {
            if (info != null) {
                details.put(info.getThreadId(), info);
            }
        }
        List<Deadlock> deadlocks = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        for (long id : inCycles) {
            // Follow lock owners from this thread until the walk comes back: that is one cycle.
            List<LockedThread> cycle = new ArrayList<>();
            for (long next = id; details.containsKey(next) && placed.add(next); next = details.get(next).getLockOwnerId()) {
                cycle.add(lockedThread(details.get(next)));
            }
            if (!cycle.isEmpty()) {
                deadlocks.add(new Deadlock(now.toString(), List.copyOf(cycle)));
            }
        }
        List<LockedThread> blocked = new ArrayList<>();
        for (long id : stuck) {
            ThreadInfo info = details.get(id);
            if (!inCycles.contains(id) && info != null && waitsForLock(info)) {
                blocked.add(lockedThread(info));
            }
        }
        return new PlatformSnapshot(now.toString(), uptime, vmName, vmVersion, system, List.copyOf(deadlocks), List.copyOf(blocked));
    }

    /** Blocked on a monitor, or parked on a lock that some thread owns. */
    private static boolean waitsForLock(ThreadInfo info) {
        Thread.State state = info.getThreadState();
        return state == Thread.State.BLOCKED
                || (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && info.getLockOwnerId() != -1;
    }

    private static LockedThread lockedThread(ThreadInfo info) {
        List<String> held = new ArrayList<>();
        for (MonitorInfo monitor : info.getLockedMonitors()) {
            held.add(lockName(monitor));
        }
        for (LockInfo synchronizer : info.getLockedSynchronizers()) {
            held.add(lockName(synchronizer));
        }
        ThreadRef owner = info.getLockOwnerId() == -1 ? null : new ThreadRef(info.getLockOwnerId(), info.getLockOwnerName(), false);
        return new LockedThread(new ThreadRef(info.getThreadId(), info.getThreadName(), false), info.getThreadState().name(),
                info.getLockInfo() == null ? "" : lockName(info.getLockInfo()), owner, List.copyOf(held),
                Arrays.stream(info.getStackTrace()).map(StackTraceElement::toString).toList());
    }

    /** {@code class@identityHash}, as a thread dump and sonde-runtime name a lock. */
    private static String lockName(LockInfo lock) {
        return lock.getClassName() + "@" + Integer.toHexString(lock.getIdentityHashCode());
    }

    private static Map<String, Object> attributes(ObjectName bean, String[] names, MBeanServerConnection server)
            throws IOException, JMException {
        Map<String, Object> values = new HashMap<>();
        // A JVM leaves out the attributes it does not have (SystemCpuLoad on newer ones, CpuLoad on older).
        for (Attribute attribute : server.getAttributes(bean, names).asList()) {
            values.put(attribute.getName(), attribute.getValue());
        }
        return values;
    }

    private static long pid(Map<String, Object> runtime) {
        if (runtime.get("Pid") instanceof Number pid) {
            return pid.longValue();
        }
        // Before Java 10 the pid is only in the runtime's name, pid@host.
        String name = text(runtime.get("Name"));
        try {
            return Long.parseLong(name.substring(0, name.indexOf('@')));
        } catch (RuntimeException notThere) {
            return -1;
        }
    }

    private static String command(Object systemProperties) {
        if (systemProperties instanceof TabularData table) {
            for (Object row : table.values()) {
                CompositeData property = (CompositeData) row;
                if ("sun.java.command".equals(property.get("key"))) {
                    return text(property.get("value"));
                }
            }
        }
        return "";
    }

    private static MemoryUsage usage(Object value) {
        return value instanceof CompositeData data ? MemoryUsage.from(data) : new MemoryUsage(-1, 0, 0, -1);
    }

    private static Number number(Object value, double absent) {
        return value instanceof Number number ? number : absent;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (JMException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
