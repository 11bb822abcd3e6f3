package dev.sonde.bench.runtime;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time per operation, two ways: {@code cpu.process} is the whole JVM's (GC and JIT compiler threads
 * included), {@code cpu.threads} is the Java threads' alone (the benchmark thread, RMI's threads), that is
 * the work itself, whose garbage {@code -prof gc} shows; {@code cpu.rmiServer} is the part of it on RMI's
 * connection threads, i.e. the target's side of a JMX call over a connector (unmarshalling the request, the
 * MBean's work, marshalling the answer). On a shared, loaded machine the wall-clock average
 * also counts time a thread waited for a core; these count only work. Use it as
 * {@code -prof dev.sonde.bench.runtime.ProcessCpuProfiler}.
 */
public final class ProcessCpuProfiler implements InternalProfiler {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long cpuBefore;
    private Map<Long, Long> threadCpuBefore = Map.of();
    private Map<Long, Long> rmiServerCpuBefore = Map.of();

    @Override
    public String getDescription() {
        return "Process CPU time per operation (all threads), in ms/op";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        threadCpuBefore = threadCpu(false);
        rmiServerCpuBefore = threadCpu(true);
        cpuBefore = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpuNanos = os.getProcessCpuTime() - cpuBefore;
        long threadNanos = cpuSince(threadCpuBefore, threadCpu(false));
        long rmiServerNanos = cpuSince(rmiServerCpuBefore, threadCpu(true));
        double operations = Math.max(1, result.getMetadata().getAllOps());
        return List.of(new ScalarResult("cpu.process", cpuNanos / 1e6 / operations, "ms/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.threads", threadNanos / 1e6 / operations, "ms/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.rmiServer", rmiServerNanos / 1e6 / operations, "ms/op", AggregationPolicy.AVG));
    }

    private static long cpuSince(Map<Long, Long> before, Map<Long, Long> after) {
        long nanos = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            nanos += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return nanos;
    }

    /** CPU nanoseconds of every live Java thread, or of RMI's connection threads, by thread id (ended threads are left out). */
    private Map<Long, Long> threadCpu(boolean rmiServerOnly) {
        long[] ids = threads.getAllThreadIds();
        long[] cpu = threads.getThreadCpuTime(ids);
        ThreadInfo[] infos = rmiServerOnly ? threads.getThreadInfo(ids) : null;
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            boolean counted = !rmiServerOnly || infos[i] != null && infos[i].getThreadName().startsWith("RMI TCP Connection");
            if (cpu[i] >= 0 && counted) {
                byThread.put(ids[i], cpu[i]);
            }
        }
        return byThread;
    }
}
