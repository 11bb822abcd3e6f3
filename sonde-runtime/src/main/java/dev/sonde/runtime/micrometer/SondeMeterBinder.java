package dev.sonde.runtime.micrometer;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.kpi.Kpi;
import dev.sonde.runtime.kpi.KpiReading;
import dev.sonde.runtime.operations.OperationTracker;
import dev.sonde.runtime.operations.Outcome;
import dev.sonde.runtime.recovery.RecoveryStats;
import dev.sonde.runtime.resources.ResourceTypeStats;
import dev.sonde.runtime.resources.tasks.ExecutorStats;
import dev.sonde.runtime.scopes.ViolationKind;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the runtime's figures as Micrometer meters. Only this package uses Micrometer, and
 * nothing else in the library refers to it, so Micrometer is needed only by services that bind this.
 *
 * <pre>{@code
 * new SondeMeterBinder(SondeRuntime.get()).bindTo(meterRegistry);
 * }</pre>
 *
 * Operations get their meters as soon as they are first tracked; resource types, executors and
 * recovery policies within one monitor round of appearing.
 */
public final class SondeMeterBinder implements MeterBinder {

    private final SondeRuntime runtime;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();

    public SondeMeterBinder(SondeRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("sonde.scopes.entered", runtime.scopes(), scopes -> scopes.entered())
                .description("scopes entered").register(registry);
        for (ViolationKind kind : ViolationKind.values()) {
            FunctionCounter.builder("sonde.scopes.violations", runtime.scopes(), scopes -> scopes.violationsByKind().get(kind))
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).description("scope violations").register(registry);
        }
        for (Kpi kpi : Kpi.values()) {
            Gauge.builder("sonde.kpi", runtime.kpis(), kpis -> kpiValue(kpis.latest(), kpi))
                    .tag("kpi", kpi.key()).tag("unit", kpi.unit()).description("key indicator, NaN without data")
                    .register(registry);
        }
        Gauge.builder("sonde.deadlocks", runtime.resources().locks(), locks -> locks.deadlocks().size())
                .description("deadlock cycles found by the last scan").register(registry);
        runtime.operations().onNewTracker(tracker -> bindOperation(registry, tracker));
        runtime.onMonitorRound(() -> bindNewNames(registry));
        bindNewNames(registry);
    }

    private void bindNewNames(MeterRegistry registry) {
        runtime.operations().trackers().forEach(tracker -> bindOperation(registry, tracker));
        for (ResourceTypeStats type : runtime.resources().byType()) {
            if (bound.add("resource:" + type.type())) {
                String name = type.type();
                Gauge.builder("sonde.resources.live", runtime.resources(), r -> resourceFigure(r.byType(), name, ResourceTypeStats::live))
                        .tag("type", name).description("open resources").register(registry);
                FunctionCounter.builder("sonde.resources.leaked", runtime.resources(),
                                r -> resourceFigure(r.byType(), name, ResourceTypeStats::collected))
                        .tag("type", name).description("resources collected without close").register(registry);
            }
        }
        for (ExecutorStats executor : runtime.tasks().stats()) {
            if (bound.add("executor:" + executor.name())) {
                String name = executor.name();
                Gauge.builder("sonde.executor.queued", runtime.tasks(), t -> executorFigure(t.stats(), name, ExecutorStats::queued))
                        .tag("executor", name).register(registry);
                Gauge.builder("sonde.executor.running", runtime.tasks(), t -> executorFigure(t.stats(), name, ExecutorStats::running))
                        .tag("executor", name).register(registry);
                FunctionCounter.builder("sonde.executor.completed", runtime.tasks(),
                        t -> executorFigure(t.stats(), name, ExecutorStats::completed)).tag("executor", name).register(registry);
                FunctionCounter.builder("sonde.executor.rejected", runtime.tasks(),
                        t -> executorFigure(t.stats(), name, ExecutorStats::rejected)).tag("executor", name).register(registry);
            }
        }
        for (RecoveryStats policy : runtime.recovery().stats()) {
            if (bound.add("recovery:" + policy.name())) {
                String name = policy.name();
                FunctionCounter.builder("sonde.recovery.attempts", runtime.recovery(),
                        r -> recoveryFigure(r.stats(), name, RecoveryStats::attempts)).tag("policy", name).register(registry);
                FunctionCounter.builder("sonde.recovery.recovered", runtime.recovery(),
                        r -> recoveryFigure(r.stats(), name, RecoveryStats::recovered)).tag("policy", name).register(registry);
                FunctionCounter.builder("sonde.recovery.failed.after.retries", runtime.recovery(),
                        r -> recoveryFigure(r.stats(), name, RecoveryStats::failedAfterRetries)).tag("policy", name).register(registry);
            }
        }
    }

    private void bindOperation(MeterRegistry registry, OperationTracker tracker) {
        if (!bound.add("operation:" + tracker.name())) {
            return;
        }
        for (Outcome outcome : Outcome.values()) {
            FunctionCounter.builder("sonde.operations", tracker, t -> t.count(outcome))
                    .tag("operation", tracker.name()).tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .description("operations ended").register(registry);
        }
        Gauge.builder("sonde.operations.in.flight", tracker, OperationTracker::inFlight)
                .tag("operation", tracker.name()).description("operations not ended").register(registry);
        TimeGauge.builder("sonde.operations.duration.mean", tracker, TimeUnit.NANOSECONDS, t -> t.stats().window().meanNanos())
                .tag("operation", tracker.name()).description("mean duration over the window").register(registry);
        TimeGauge.builder("sonde.operations.duration.p99", tracker, TimeUnit.NANOSECONDS, t -> t.stats().window().p99Nanos())
                .tag("operation", tracker.name()).description("99th percentile duration over the window").register(registry);
    }

    private static double kpiValue(Iterable<KpiReading> readings, Kpi kpi) {
        for (KpiReading reading : readings) {
            if (reading.kpi() == kpi) {
                return reading.value();
            }
        }
        return Double.NaN;
    }

    private static double resourceFigure(Iterable<ResourceTypeStats> all, String type, ToDoubleFunction<ResourceTypeStats> figure) {
        for (ResourceTypeStats stats : all) {
            if (stats.type().equals(type)) {
                return figure.applyAsDouble(stats);
            }
        }
        return 0;
    }

    private static double executorFigure(Iterable<ExecutorStats> all, String name, ToDoubleFunction<ExecutorStats> figure) {
        for (ExecutorStats stats : all) {
            if (stats.name().equals(name)) {
                return figure.applyAsDouble(stats);
            }
        }
        return 0;
    }

    private static double recoveryFigure(Iterable<RecoveryStats> all, String name, ToDoubleFunction<RecoveryStats> figure) {
        for (RecoveryStats stats : all) {
            if (stats.name().equals(name)) {
                return figure.applyAsDouble(stats);
            }
        }
        return 0;
    }
}
