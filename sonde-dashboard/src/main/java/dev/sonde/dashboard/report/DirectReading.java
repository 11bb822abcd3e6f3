package dev.sonde.dashboard.report;

import dev.sonde.dashboard.history.JvmHistory;
import dev.sonde.dashboard.history.Sample;
import dev.sonde.dashboard.history.Sample.OperationSample;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.PlatformSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.OperationFigures;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.SystemFigures;
import dev.sonde.dashboard.watch.Health;
import dev.sonde.dashboard.watch.JvmStatus;
import dev.sonde.dashboard.watch.JvmView;
import dev.sonde.dashboard.web.DashboardJson;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JVM read directly, without a dashboard, for {@code sonde report}: its current state and one sample
 * whose rates come from the runtime's own sliding windows (count over the window), since there is no
 * previous poll to difference against.
 */
public final class DirectReading {

    private static final double MB = 1024.0 * 1024.0;
    /** The dashboard's default: a KPI within 80 % of its threshold shows amber. */
    private static final double AMBER_AT = 0.8;

    private DirectReading() {
    }

    /** Reads the JVM behind {@code connection} once; a JVM without sonde-runtime gives its platform figures. */
    public static ReportedJvm read(JvmConnection connection) {
        Instant at = Instant.now();
        String runtimeJson = null;
        PlatformSnapshot platform = null;
        Health health;
        Sample sample;
        if (connection.hasRuntime()) {
            runtimeJson = connection.snapshotJson();
            RuntimeSnapshot runtime = RuntimeSnapshot.parse(runtimeJson);
            int deadlocked = runtime.locks() == null ? 0 : runtime.locks().deadlocks().stream().mapToInt(d -> d.threads().size()).sum();
            int blocked = runtime.locks() == null ? 0 : runtime.locks().blockedThreads().size();
            health = Health.of(runtime, deadlocked, blocked, AMBER_AT);
            sample = sample(at.toEpochMilli(), runtime);
        } else {
            platform = connection.platform();
            int deadlocked = platform.deadlocks().stream().mapToInt(cycle -> cycle.threads().size()).sum();
            int blocked = platform.blockedThreads().size();
            health = deadlocked > 0 || blocked > 0 ? Health.of(null, deadlocked, blocked, AMBER_AT)
                    : Health.grey("no sonde-runtime in this JVM: only its own figures are shown");
            sample = sample(at.toEpochMilli(), platform);
        }
        JvmView view = new JvmView("pid-" + connection.pid(), connection.pid(), connection.mainClass(), null, JvmStatus.LIVE, health,
                null, at, at, null, connection.hasRuntime(), runtimeJson,
                platform == null ? null : DashboardJson.MAPPER.valueToTree(platform), null, sample);
        JvmHistory history = new JvmHistory(1);
        history.add(sample);
        return new ReportedJvm(view, history.columns(0));
    }

    static Sample sample(long atMillis, RuntimeSnapshot runtime) {
        Map<String, OperationSample> operations = new LinkedHashMap<>();
        double throughput = Double.NaN;
        double worstP99 = Double.NaN;
        long count = 0;
        long errors = 0;
        if (runtime.operations() != null) {
            throughput = 0;
            for (OperationFigures op : runtime.operations().byName()) {
                RuntimeSnapshot.Window window = op.window();
                boolean measured = window != null && window.windowMillis() > 0;
                double rate = measured ? window.count() / (window.windowMillis() / 1000.0) : Double.NaN;
                double p99 = window == null || window.count() == 0 ? Double.NaN : window.p99Millis();
                operations.put(op.name(), new OperationSample(rate, p99));
                throughput += Double.isNaN(rate) ? 0 : rate;
                worstP99 = Double.isNaN(p99) || (!Double.isNaN(worstP99) && worstP99 >= p99) ? worstP99 : p99;
                if (window != null) {
                    count += window.count();
                    errors += window.errors();
                }
            }
        }
        double inFlight = runtime.operations() == null ? Double.NaN : runtime.operations().inFlight();
        SystemFigures system = runtime.system();
        if (system == null) {
            return new Sample(atMillis, throughput, count == 0 ? Double.NaN : (double) errors / count, worstP99, inFlight,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, operations);
        }
        var scheduler = system.virtualThreadScheduler();
        return new Sample(atMillis, throughput, count == 0 ? Double.NaN : (double) errors / count, worstP99, inFlight,
                share(system.processCpuLoad()), share(system.systemCpuLoad()), megabytes(system.heapUsed()), megabytes(system.heapMax()),
                system.threadCount(), Double.NaN, scheduler == null ? Double.NaN : scheduler.mounted(),
                scheduler == null ? Double.NaN : scheduler.queued(), operations);
    }

    static Sample sample(long atMillis, PlatformSnapshot platform) {
        RuntimeSnapshot systemOnly = new RuntimeSnapshot(null, null, null, null, null, null, null, null, java.util.List.of(),
                platform.system(), java.util.List.of(), null);
        return sample(atMillis, systemOnly);
    }

    /** A 0..1 load as a percentage, as the dashboard's samples hold it; NaN when the JVM does not report it. */
    private static double share(double load) {
        return load < 0 ? Double.NaN : load * 100.0;
    }

    private static double megabytes(long bytes) {
        return bytes <= 0 ? Double.NaN : bytes / MB;
    }
}
