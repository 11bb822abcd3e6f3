package dev.sonde.dashboard.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sonde.dashboard.jvm.PlatformSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Executor;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.GarbageCollector;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.KpiReading;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Leak;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.OperationFigures;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.RecoveryPolicy;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.ResourceType;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.SystemFigures;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Window;
import dev.sonde.dashboard.watch.Health;
import dev.sonde.dashboard.watch.JvmStatus;
import dev.sonde.dashboard.watch.JvmView;
import dev.sonde.dashboard.web.DashboardJson;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.sonde.dashboard.metrics.Reading.Kind.COUNTER;
import static dev.sonde.dashboard.metrics.Reading.Kind.GAUGE;

/**
 * What one JVM's latest view says, as Prometheus figures. Cumulative figures of the runtime (operations
 * ended by outcome, violations by kind, recovery attempts...) become counters; everything else gauges.
 * Durations are seconds and sizes bytes, as Prometheus names them.
 */
final class JvmReadings {

    private final List<Reading> readings = new ArrayList<>();

    private JvmReadings() {
    }

    static List<Reading> of(JvmView view) {
        JvmReadings out = new JvmReadings();
        boolean live = view.status() == JvmStatus.LIVE;
        out.gauge("sonde.jvm.up", null, Tags.empty(), live ? 1 : 0, "1 while the dashboard reads this JVM, 0 while it does not answer");
        if (!live) {
            return out.readings;
        }
        if (view.health() != null && view.health().colour() != Health.Colour.GREY) {
            out.gauge("sonde.jvm.health", null, Tags.empty(), view.health().colour().ordinal(), "0 green, 1 amber, 2 red, from the KPIs and locks");
        }
        if (view.runtime() != null) {
            out.runtime(RuntimeSnapshot.parse(view.runtime()));
        } else if (view.platform() != null) {
            out.platform(view.platform());
        }
        return out.readings;
    }

    private void runtime(RuntimeSnapshot snapshot) {
        if (snapshot.operations() != null) {
            for (OperationFigures op : snapshot.operations().byName()) {
                Tags operation = Tags.of("operation", op.name());
                counter("sonde.operations.started", null, operation, op.started(), "Operations started");
                counter("sonde.operations.ended", null, operation.and("outcome", "succeeded"), op.succeeded(), "Operations ended, by outcome");
                counter("sonde.operations.ended", null, operation.and("outcome", "failed"), op.failed(), "Operations ended, by outcome");
                counter("sonde.operations.ended", null, operation.and("outcome", "cancelled"), op.cancelled(), "Operations ended, by outcome");
                counter("sonde.operations.ended", null, operation.and("outcome", "timed_out"), op.timedOut(), "Operations ended, by outcome");
                gauge("sonde.operations.in.flight", null, operation, op.inFlight(), "Operations started and not ended");
                Window window = op.window();
                if (window != null && window.count() > 0) {
                    gauge("sonde.operations.p50", "seconds", operation, window.p50Millis() / 1000, "Median duration over the runtime's window");
                    gauge("sonde.operations.p99", "seconds", operation, window.p99Millis() / 1000, "99th percentile duration over the runtime's window");
                }
            }
        }
        if (snapshot.scopes() != null) {
            counter("sonde.scopes.entered", null, Tags.empty(), snapshot.scopes().entered(), "Scopes entered");
            for (Map.Entry<String, Long> kind : new TreeMap<>(snapshot.scopes().violationsByKind()).entrySet()) {
                counter("sonde.scope.violations", null, Tags.of("kind", kind.getKey()), kind.getValue(), "Scopes misused, by kind");
            }
        }
        if (snapshot.resources() != null) {
            for (ResourceType type : snapshot.resources().byType()) {
                Tags tags = Tags.of("type", type.type());
                gauge("sonde.resources.live", null, tags, type.live(), "Resources open now");
                counter("sonde.resources.opened", null, tags, type.opened(), "Resources registered");
                counter("sonde.resources.closed", null, tags, type.closed(), "Resources closed");
                counter("sonde.resources.collected", null, tags, type.collected(), "Resources garbage collected without being closed (leaked)");
                gauge("sonde.resources.oldest.age", "seconds", tags, type.oldestAgeMillis() / 1000, "Age of the oldest open resource");
            }
            List<Leak> leaks = snapshot.resources().leaks();
            // Leak reports are numbered from 1, so the highest number is how many were ever reported.
            counter("sonde.resources.leaks", null, Tags.empty(), leaks.stream().mapToLong(Leak::sequence).max().orElse(0),
                    "Resource leaks reported (open too long, or collected without close)");
        }
        if (snapshot.locks() != null) {
            gauge("sonde.threads.deadlocked", null, Tags.empty(),
                    snapshot.locks().deadlocks().stream().mapToInt(d -> d.threads().size()).sum(), "Threads in a deadlock");
            gauge("sonde.threads.blocked", null, Tags.empty(), snapshot.locks().blockedThreads().size(), "Threads blocked on a lock");
        }
        for (Executor executor : snapshot.executors()) {
            Tags tags = Tags.of("executor", executor.name());
            gauge("sonde.executor.queued", null, tags, executor.queued(), "Tasks waiting in the executor's queue");
            gauge("sonde.executor.running", null, tags, executor.running(), "Tasks running");
            counter("sonde.executor.completed", null, tags, executor.completed(), "Tasks completed");
            counter("sonde.executor.failed", null, tags, executor.failed(), "Tasks that threw");
            counter("sonde.executor.rejected", null, tags, executor.rejected(), "Tasks rejected");
            if (executor.timeInQueue() != null && executor.timeInQueue().count() > 0) {
                gauge("sonde.executor.queue.p99", "seconds", tags, executor.timeInQueue().p99Millis() / 1000, "99th percentile time in queue");
            }
        }
        for (RecoveryPolicy policy : snapshot.recovery()) {
            Tags tags = Tags.of("policy", policy.name());
            counter("sonde.recovery.calls", null, tags, policy.calls(), "Calls through the recovery policy");
            counter("sonde.recovery.attempts", null, tags, policy.attempts(), "Attempts, retries included");
            counter("sonde.recovery.recovered", null, tags, policy.recovered(), "Calls that failed, then succeeded on a retry");
            counter("sonde.recovery.gave.up", null, tags, policy.failedAfterRetries(), "Calls that failed after every retry");
            counter("sonde.recovery.failed.fast", null, tags, policy.failedFast(), "Calls refused at once (open circuit)");
            counter("sonde.recovery.fallbacks", null, tags, policy.fallbacks(), "Calls answered by a fallback");
            if (policy.recoveryTime() != null && policy.recoveryTime().count() > 0) {
                gauge("sonde.recovery.time.p99", "seconds", tags, policy.recoveryTime().p99Millis() / 1000, "99th percentile time to recover");
            }
        }
        if (snapshot.kpis() != null) {
            for (KpiReading kpi : snapshot.kpis().readings()) {
                Tags tags = Tags.of("kpi", kpi.name());
                if (kpi.value() != null) {
                    gauge("sonde.kpi.value", null, tags, kpi.value(), "A KPI's value at the runtime's last evaluation");
                }
                if (kpi.threshold() != null) {
                    gauge("sonde.kpi.threshold", null, tags, kpi.threshold(), "A KPI's threshold (see sonde_kpi_breached for the direction)");
                }
                gauge("sonde.kpi.breached", null, tags, kpi.breached() ? 1 : 0, "1 while a KPI misses its goal");
            }
        }
        systemFigures(snapshot.system());
    }


    private void systemFigures(SystemFigures system) {
        if (system != null) {
            system(system.processCpuLoad(), system.systemCpuLoad(), system.heapUsed(), system.heapMax(), system.threadCount());
            for (GarbageCollector gc : system.garbageCollectors()) {
                Tags tags = Tags.of("gc", gc.name());
                counter("sonde.jvm.gc.time", "seconds", tags, gc.timeMillis() / 1000.0, "Time spent collecting garbage");
                counter("sonde.jvm.gc.collections", null, tags, gc.collections(), "Garbage collections");
            }
            if (system.virtualThreadScheduler() != null) {
                gauge("sonde.jvm.virtual.threads.mounted", null, Tags.empty(), system.virtualThreadScheduler().mounted(), "Virtual threads mounted");
                gauge("sonde.jvm.virtual.threads.queued", null, Tags.empty(), system.virtualThreadScheduler().queued(), "Virtual threads queued");
            }
        }
    }

    private void platform(com.fasterxml.jackson.databind.JsonNode tree) {
        PlatformSnapshot platform;
        try {
            platform = DashboardJson.MAPPER.treeToValue(tree, PlatformSnapshot.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return;
        }
        systemFigures(platform.system());
        if (platform.deadlocks() != null) {
            gauge("sonde.threads.deadlocked", null, Tags.empty(), platform.deadlocks().stream().mapToInt(c -> c.threads().size()).sum(),
                    "Threads in a deadlock");
        }
        if (platform.blockedThreads() != null) {
            gauge("sonde.threads.blocked", null, Tags.empty(), platform.blockedThreads().size(), "Threads blocked on a lock");
        }
    }

    private void system(double processCpu, double systemCpu, long heapUsed, long heapMax, int threads) {
        if (processCpu >= 0) {
            gauge("sonde.process.cpu.usage", null, Tags.empty(), processCpu, "The JVM's share of the machine's CPU, 0..1");
        }
        if (systemCpu >= 0) {
            gauge("sonde.system.cpu.usage", null, Tags.empty(), systemCpu, "The machine's CPU load, 0..1");
        }
        if (heapUsed >= 0) {
            gauge("sonde.jvm.heap.used", "bytes", Tags.empty(), heapUsed, "Heap in use");
        }
        if (heapMax > 0) {
            gauge("sonde.jvm.heap.max", "bytes", Tags.empty(), heapMax, "Heap the JVM may grow to");
        }
        if (threads >= 0) {
            gauge("sonde.jvm.threads", null, Tags.empty(), threads, "Live platform threads");
        }
    }

    private void gauge(String name, String unit, Tags tags, double value, String help) {
        readings.add(new Reading(name, GAUGE, unit, tags, value, help));
    }

    private void counter(String name, String unit, Tags tags, double value, String help) {
        readings.add(new Reading(name, COUNTER, unit, tags, value, help));
    }
}
