package dev.sonde.runtime.kpi;

import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.recovery.Recovery;
import dev.sonde.runtime.resources.ResourceTypeStats;
import dev.sonde.runtime.resources.Resources;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.settings.Settings;
import dev.sonde.runtime.stats.History;
import dev.sonde.runtime.stats.WindowSnapshot;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes the KPIs from the live figures and records an alert each time one goes past its
 * threshold. The runtime's monitor evaluates them every {@code monitor.interval}.
 */
public final class Kpis {

    private static final double NANOS_PER_MILLI = 1_000_000.0;

    /** Cumulative counts at one moment; rates come from the difference between two samples. */
    private record Sample(long nanos, long scopesEntered, long violations, long sessionsClosed, long sessionsFailed) {
    }

    private final RuntimeSettings settings;
    private final Scopes scopes;
    private final Resources resources;
    private final Operations operations;
    private final Recovery recovery;
    private final History<KpiAlert> alerts;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final Set<Kpi> breached = EnumSet.noneOf(Kpi.class);
    private volatile List<KpiReading> latest = List.of();

    public Kpis(RuntimeSettings settings, Scopes scopes, Resources resources, Operations operations, Recovery recovery) {
        this.settings = settings;
        this.scopes = scopes;
        this.resources = resources;
        this.operations = operations;
        this.recovery = recovery;
        this.alerts = new History<>(() -> settings.get(Setting.HISTORY_SIZE));
        samples.add(sample());
    }

    /** Computes every KPI now and records alerts for breaches that just started. */
    public synchronized List<KpiReading> evaluate() {
        Settings current = settings.current();
        Sample now = sample();
        samples.addLast(now);
        long windowNanos = current.get(Setting.KPI_WINDOW).toNanos();
        // Keep one sample at least a window old as the baseline, so the rates cover the whole window.
        while (samples.size() > 2 && now.nanos - secondOldest().nanos >= windowNanos) {
            samples.removeFirst();
        }
        Sample base = samples.peekFirst();
        WindowSnapshot operationWindow = operations.combinedWindow();
        WindowSnapshot recoveryWindow = recovery.combinedRecoveryTime();

        List<KpiReading> readings = new ArrayList<>();
        readings.add(reading(Kpi.SCOPE_VIOLATION_RATE,
                ratio(now.violations - base.violations, now.scopesEntered - base.scopesEntered),
                current.get(Setting.KPI_SCOPE_VIOLATION_RATE_MAX)));
        long sessionsClosed = now.sessionsClosed - base.sessionsClosed;
        long sessionsEnded = sessionsClosed + now.sessionsFailed - base.sessionsFailed;
        readings.add(reading(Kpi.SESSION_SUCCESS_RATE, ratio(sessionsClosed, sessionsEnded),
                current.get(Setting.KPI_SESSION_SUCCESS_RATE_MIN)));
        readings.add(reading(Kpi.MEAN_OPERATION_DURATION,
                operationWindow.count() == 0 ? Double.NaN : operationWindow.meanNanos() / NANOS_PER_MILLI,
                current.get(Setting.KPI_MEAN_OPERATION_DURATION_MAX).toNanos() / NANOS_PER_MILLI));
        readings.add(reading(Kpi.ERROR_RECOVERY_TIME,
                recoveryWindow.count() == 0 ? Double.NaN : recoveryWindow.p99Nanos() / NANOS_PER_MILLI,
                current.get(Setting.KPI_RECOVERY_TIME_MAX).toNanos() / NANOS_PER_MILLI));
        latest = List.copyOf(readings);
        return latest;
    }

    /** The readings of the last evaluation. */
    public List<KpiReading> latest() {
        return latest;
    }

    /** Breaches, oldest first. */
    public List<History.Entry<KpiAlert>> alerts() {
        return alerts.entries();
    }

    /** The same, each entry rendered once and kept: see {@link History#rendered}. */
    public List<String> alerts(Function<History.Entry<KpiAlert>, String> rendering) {
        return alerts.rendered(rendering);
    }

    private KpiReading reading(Kpi kpi, double value, double threshold) {
        boolean breach = kpi.breaches(value, threshold);
        if (breach && breached.add(kpi)) {
            alerts.add(new KpiAlert(kpi, Instant.now(), value, threshold));
        } else if (!breach) {
            breached.remove(kpi);
        }
        return new KpiReading(kpi, value, threshold, breach);
    }

    private Sample secondOldest() {
        var iterator = samples.iterator();
        iterator.next();
        return iterator.next();
    }

    private Sample sample() {
        String sessionType = settings.get(Setting.KPI_SESSION_TYPE);
        long closed = 0;
        long failed = 0;
        for (ResourceTypeStats type : resources.byType()) {
            if (type.type().equals(sessionType)) {
                closed = type.closed();
                failed = type.failed() + type.collected();
            }
        }
        return new Sample(System.nanoTime(), scopes.entered(), scopes.violations(), closed, failed);
    }

    private static double ratio(long part, long whole) {
        return whole <= 0 ? Double.NaN : (double) part / whole;
    }
}
