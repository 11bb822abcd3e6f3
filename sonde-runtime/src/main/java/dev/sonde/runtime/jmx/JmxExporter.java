package dev.sonde.runtime.jmx;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.jmx.RuntimeMBeans.Columns;
import dev.sonde.runtime.jmx.Table.Column;
import dev.sonde.runtime.kpi.KpiAlert;
import dev.sonde.runtime.kpi.KpiReading;
import dev.sonde.runtime.operations.InFlightOperation;
import dev.sonde.runtime.operations.OperationFailure;
import dev.sonde.runtime.operations.OperationStats;
import dev.sonde.runtime.recovery.RecoveryStats;
import dev.sonde.runtime.resources.LiveResource;
import dev.sonde.runtime.resources.ResourceLeak;
import dev.sonde.runtime.resources.ResourceTypeStats;
import dev.sonde.runtime.resources.locks.BlockedThread;
import dev.sonde.runtime.resources.locks.Deadlock;
import dev.sonde.runtime.resources.locks.LockedThread;
import dev.sonde.runtime.resources.system.GcStats;
import dev.sonde.runtime.resources.system.SystemSnapshot;
import dev.sonde.runtime.resources.system.VirtualThreadSchedulerStats;
import dev.sonde.runtime.resources.tasks.ExecutorStats;
import dev.sonde.runtime.scopes.ScopeViolation;
import dev.sonde.runtime.scopes.ViolationKind;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.settings.Settings;
import dev.sonde.runtime.settings.SettingsFile;
import dev.sonde.runtime.threads.StackCapture;
import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

import static dev.sonde.runtime.jmx.RuntimeMBeans.objectName;

/** Registers a runtime's MBeans, named as {@link RuntimeMBeans} says. */
public final class JmxExporter {

    private static final double NANOS_PER_MILLI = 1_000_000.0;
    private static final int LIST_LIMIT = 100;
    private static final String[] BY_NAME = {Columns.NAME};
    private static final String[] BY_SEQUENCE = {Columns.SEQUENCE};

    private static final Table OPERATIONS = new Table("Operations", "Figures per operation name", BY_NAME,
            text(Columns.NAME, "operation name"),
            number(Columns.STARTED, "operations started since start"),
            number(Columns.IN_FLIGHT, "operations not ended yet"),
            number(Columns.SUCCEEDED, "ended well since start"),
            number(Columns.FAILED, "ended with an error since start"),
            number(Columns.CANCELLED, "cancelled or interrupted since start"),
            number(Columns.TIMED_OUT, "timed out since start"),
            number(Columns.WINDOW_COUNT, "operations ended within the window"),
            decimal(Columns.ERROR_RATE, "failed and timed-out share within the window"),
            decimal(Columns.MEAN_MILLIS, "mean duration within the window, ms"),
            decimal(Columns.P50_MILLIS, "median duration within the window, ms"),
            decimal(Columns.P99_MILLIS, "99th percentile duration within the window, ms"),
            decimal(Columns.MAX_MILLIS, "longest duration within the window, ms"));
    private static final Table ASYNC_IN_FLIGHT = new Table("AsyncInFlight", "Asynchronous operations not ended, oldest first",
            new String[] {Columns.RANK},
            integer(Columns.RANK, "1 for the oldest"),
            text(Columns.OPERATION, "operation name"),
            text(Columns.STARTED_AT, "start time"),
            decimal(Columns.AGE_MILLIS, "age, ms"),
            text(Columns.THREAD, "thread it started on"));
    private static final Table RECENT_FAILURES = new Table("RecentFailures", "Recent failed, cancelled and timed-out operations",
            BY_SEQUENCE,
            number(Columns.SEQUENCE, "grows with each failure"),
            text(Columns.AT, "when it ended"),
            text(Columns.OPERATION, "operation name"),
            text(Columns.OUTCOME, "FAILED, CANCELLED or TIMED_OUT"),
            text(Columns.ERROR_CLASS, "the error's class"),
            text(Columns.MESSAGE, "the error's message"),
            decimal(Columns.DURATION_MILLIS, "duration, ms"),
            text(Columns.THREAD, "thread it ended on"));
    private static final Table VIOLATIONS_BY_KIND = new Table("ViolationsByKind", "Scope violations per kind",
            new String[] {Columns.KIND},
            text(Columns.KIND, "violation kind"),
            number(Columns.COUNT, "violations since start"));
    private static final Table RECENT_VIOLATIONS = new Table("RecentViolations", "Recent scope violations", BY_SEQUENCE,
            number(Columns.SEQUENCE, "grows with each violation"),
            text(Columns.KIND, "violation kind"),
            text(Columns.AT, "when it was seen"),
            text(Columns.SCOPE, "scope name"),
            text(Columns.OWNER, "thread that entered the scope"),
            text(Columns.SEEN_ON, "thread on which the misuse happened"),
            text(Columns.DESCRIPTION, "what happened"),
            text(Columns.ENTRY_STACK, "where the scope was entered, when recorded"));
    private static final Table RESOURCE_TYPES = new Table("ResourceTypes", "Figures per resource type",
            new String[] {Columns.TYPE},
            text(Columns.TYPE, "resource type"),
            number(Columns.LIVE, "open now"),
            number(Columns.OPENED, "registered since start"),
            number(Columns.CLOSED, "closed normally"),
            number(Columns.FAILED, "ended badly"),
            number(Columns.COLLECTED, "garbage collected without close"),
            decimal(Columns.OLDEST_AGE_MILLIS, "age of the oldest open one, ms"));
    private static final Table OLDEST = new Table("OldestResources", "Open resources, oldest first", new String[] {Columns.ID},
            number(Columns.ID, "resource id"),
            text(Columns.TYPE, "resource type"),
            text(Columns.DESCRIPTION, "class@identity"),
            text(Columns.CREATED_AT, "registration time"),
            decimal(Columns.AGE_MILLIS, "age, ms"),
            text(Columns.OWNER, "thread that registered it"),
            text(Columns.ALLOCATION_STACK, "where it was registered, when recorded"));
    private static final Table LEAKS = new Table("ResourceLeaks", "Recent leak reports", BY_SEQUENCE,
            number(Columns.SEQUENCE, "grows with each report"),
            text(Columns.AT, "when it was reported"),
            number(Columns.ID, "resource id"),
            text(Columns.TYPE, "resource type"),
            text(Columns.DESCRIPTION, "class@identity"),
            text(Columns.REASON, "OLDER_THAN_THRESHOLD or COLLECTED_WITHOUT_CLOSE"),
            decimal(Columns.AGE_MILLIS, "age when reported, ms"),
            text(Columns.OWNER, "thread that registered it"),
            text(Columns.ALLOCATION_STACK, "where it was registered, when recorded"));
    private static final Table EXECUTORS = new Table("Executors", "Figures per wrapped executor", BY_NAME,
            text(Columns.NAME, "executor name"),
            number(Columns.QUEUED, "submitted, not started"),
            number(Columns.RUNNING, "started, not ended"),
            number(Columns.COMPLETED, "ended normally"),
            number(Columns.FAILED, "ended by throwing"),
            number(Columns.REJECTED, "refused"),
            decimal(Columns.QUEUE_MEAN_MILLIS, "mean time in queue within the window, ms"),
            decimal(Columns.QUEUE_P99_MILLIS, "99th percentile time in queue within the window, ms"));
    private static final Column[] LOCKED_THREAD = {
            number(Columns.THREAD_ID, "thread id"),
            text(Columns.THREAD, "thread"),
            text(Columns.STATE, "thread state"),
            text(Columns.WAITING_FOR, "the lock it wants"),
            text(Columns.LOCK_OWNER, "the thread holding that lock"),
            text(Columns.LOCKS_HELD, "locks it holds, one a line"),
            text(Columns.STACK, "its stack")};
    private static final Table DEADLOCKS = new Table("Deadlocks", "Threads of each deadlock cycle",
            new String[] {Columns.DEADLOCK, Columns.THREAD_ID},
            concat(integer(Columns.DEADLOCK, "cycle number, from 1"), LOCKED_THREAD));
    private static final Table BLOCKED = new Table("BlockedThreads", "Threads blocked on a lock for too long",
            new String[] {Columns.THREAD_ID},
            concat(decimal(Columns.BLOCKED_FOR_MILLIS, "blocked for, ms"), LOCKED_THREAD));
    private static final Table GARBAGE_COLLECTORS = new Table("GarbageCollectors", "Figures per collector", BY_NAME,
            text(Columns.NAME, "collector"),
            number(Columns.COLLECTIONS, "collections since the JVM started"),
            number(Columns.TIME_MILLIS, "time in collections, ms"));
    private static final Table POLICIES = new Table("RecoveryPolicies", "Figures per recovery policy", BY_NAME,
            text(Columns.NAME, "policy name"),
            number(Columns.CALLS, "calls"),
            number(Columns.ATTEMPTS, "attempts, first tries included"),
            number(Columns.SUCCEEDED_FIRST_TRY, "passed at once"),
            number(Columns.RECOVERED, "passed after retries"),
            number(Columns.FAILED_AFTER_RETRIES, "retries ran out"),
            number(Columns.FAILED_FAST, "failed at once, not worth retrying"),
            number(Columns.FALLBACKS, "answered by the fallback"),
            decimal(Columns.RECOVERY_P50_MILLIS, "median recovery time within the window, ms"),
            decimal(Columns.RECOVERY_P99_MILLIS, "99th percentile recovery time within the window, ms"));
    private static final Table KPI_READINGS = new Table("KpiReadings", "Key indicators at the last evaluation", BY_NAME,
            text(Columns.NAME, "indicator"),
            decimal(Columns.VALUE, "value, NaN while there is no data"),
            decimal(Columns.THRESHOLD, "threshold"),
            text(Columns.UNIT, "unit of value and threshold"),
            bool(Columns.BREACHED, "whether the value is past the threshold"));
    private static final Table KPI_ALERTS = new Table("KpiAlerts", "Breaches of key indicators", BY_SEQUENCE,
            number(Columns.SEQUENCE, "grows with each alert"),
            text(Columns.NAME, "indicator"),
            text(Columns.AT, "when the breach started"),
            decimal(Columns.VALUE, "value at the breach"),
            decimal(Columns.THRESHOLD, "threshold"));
    private static final Table SETTINGS = new Table("Settings", "Runtime settings", new String[] {Columns.KEY},
            text(Columns.KEY, "key, also the system property sonde.runtime.KEY"),
            text(Columns.VALUE, "current value"),
            text(Columns.DEFAULT_VALUE, "default value"),
            text(Columns.DESCRIPTION, "what it does"));
    private static final String[] SCHEDULER_ITEMS = {Columns.PARALLELISM, Columns.POOL_SIZE, Columns.MOUNTED, Columns.QUEUED};
    private static final CompositeType SCHEDULER = schedulerType();

    private JmxExporter() {
    }

    /**
     * Registers the runtime's MBeans on the server.
     *
     * @return what unregisters them
     * @throws IllegalStateException when a runtime's MBeans are already registered there
     */
    public static AutoCloseable export(SondeRuntime runtime, MBeanServer server) {
        Map<String, OpenMBean> beans = new LinkedHashMap<>();
        beans.put(RuntimeMBeans.Runtime.NAME, runtimeBean(runtime));
        beans.put(RuntimeMBeans.Operations.NAME, operationsBean(runtime));
        beans.put(RuntimeMBeans.Scopes.NAME, scopesBean(runtime));
        beans.put(RuntimeMBeans.Resources.NAME, resourcesBean(runtime));
        beans.put(RuntimeMBeans.Locks.NAME, locksBean(runtime));
        beans.put(RuntimeMBeans.System.NAME, systemBean(runtime));
        beans.put(RuntimeMBeans.Recovery.NAME, recoveryBean(runtime));
        beans.put(RuntimeMBeans.Kpis.NAME, kpisBean(runtime));
        beans.put(RuntimeMBeans.Settings.NAME, settingsBean(runtime));
        List<ObjectName> registered = new ArrayList<>();
        try {
            for (Map.Entry<String, OpenMBean> bean : beans.entrySet()) {
                ObjectName name = objectName(bean.getKey());
                server.registerMBean(bean.getValue(), name);
                registered.add(name);
            }
        } catch (InstanceAlreadyExistsException taken) {
            unregister(server, registered);
            throw new IllegalStateException("The MBeans of another Sonde runtime are already registered on this MBean server; "
                    + "use SondeRuntime.get() or close the other runtime first.", taken);
        } catch (JMException refused) {
            unregister(server, registered);
            throw new IllegalStateException("The MBean server refused the Sonde runtime's MBeans (" + refused.getMessage() + ").", refused);
        }
        return () -> unregister(server, registered);
    }

    private static void unregister(MBeanServer server, List<ObjectName> names) {
        for (ObjectName name : names) {
            try {
                server.unregisterMBean(name);
            } catch (JMException alreadyGone) {
                // someone else unregistered it: the goal is reached
            }
        }
    }

    private static OpenMBean runtimeBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Runtime", "The Sonde runtime")
                .attribute(RuntimeMBeans.Runtime.START_TIME, "when the runtime started", SimpleType.STRING,
                        () -> runtime.startedAt().toString())
                .operation(RuntimeMBeans.Runtime.SNAPSHOT_JSON, "every figure as one JSON document", SimpleType.STRING,
                        OpenMBean.INFO, params -> runtime.snapshotJson())
                .operation(RuntimeMBeans.Runtime.COMPACT_SNAPSHOT_JSON, "every figure as one JSON document, with only the newest "
                                + "entries of each recent list", SimpleType.STRING, OpenMBean.INFO,
                        params -> runtime.snapshotJson((Integer) params[0]),
                        new OpenMBean.Parameter("newest", "entries kept of each recent list, newest last", SimpleType.INTEGER));
    }

    private static OpenMBean operationsBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Operations", "Tracked operations")
                .attribute(RuntimeMBeans.Operations.IN_FLIGHT, "operations in flight", SimpleType.LONG,
                        () -> runtime.operations().inFlight())
                .attribute(RuntimeMBeans.Operations.OPERATIONS, "figures per operation name", OPERATIONS.type(),
                        () -> OPERATIONS.of(rows(runtime.operations().stats(), JmxExporter::operationRow)))
                .attribute(RuntimeMBeans.Operations.ASYNC_IN_FLIGHT, "asynchronous operations not ended, oldest first",
                        ASYNC_IN_FLIGHT.type(), () -> {
                            List<Object[]> rows = new ArrayList<>();
                            for (InFlightOperation operation : runtime.operations().asyncInFlight(LIST_LIMIT)) {
                                rows.add(new Object[] {rows.size() + 1, operation.operation(), operation.startedAt().toString(),
                                        millis(operation.age()), operation.startedOn().toString()});
                            }
                            return ASYNC_IN_FLIGHT.of(rows);
                        })
                .attribute(RuntimeMBeans.Operations.RECENT_FAILURES, "recent failed, cancelled and timed-out operations",
                        RECENT_FAILURES.type(), () -> RECENT_FAILURES.of(rows(runtime.operations().recentFailures(), entry -> {
                            OperationFailure failure = entry.value();
                            return new Object[] {entry.sequence(), failure.at().toString(), failure.operation(),
                                    failure.outcome().name(), failure.errorClass(), orEmpty(failure.message()),
                                    millis(failure.duration()), failure.thread().toString()};
                        })));
    }

    private static Object[] operationRow(OperationStats stats) {
        return new Object[] {stats.name(), stats.started(), stats.inFlight(), stats.succeeded(), stats.failed(),
                stats.cancelled(), stats.timedOut(), stats.window().count(), stats.window().errorRate(),
                stats.window().meanNanos() / NANOS_PER_MILLI, stats.window().p50Nanos() / NANOS_PER_MILLI,
                stats.window().p99Nanos() / NANOS_PER_MILLI, stats.window().maxNanos() / NANOS_PER_MILLI};
    }

    private static OpenMBean scopesBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Scopes", "Scopes and their misuse")
                .attribute(RuntimeMBeans.Scopes.MODE, "OFF, REPORT or STRICT", SimpleType.STRING,
                        () -> runtime.scopes().mode().name())
                .attribute(RuntimeMBeans.Scopes.ENTERED, "scopes entered since start", SimpleType.LONG,
                        () -> runtime.scopes().entered())
                .attribute(RuntimeMBeans.Scopes.VIOLATIONS, "violations since start", SimpleType.LONG,
                        () -> runtime.scopes().violations())
                .attribute(RuntimeMBeans.Scopes.VIOLATIONS_BY_KIND, "violations per kind", VIOLATIONS_BY_KIND.type(),
                        () -> {
                            List<Object[]> rows = new ArrayList<>();
                            for (Map.Entry<ViolationKind, Long> count : runtime.scopes().violationsByKind().entrySet()) {
                                rows.add(new Object[] {count.getKey().name(), count.getValue()});
                            }
                            return VIOLATIONS_BY_KIND.of(rows);
                        })
                .attribute(RuntimeMBeans.Scopes.RECENT_VIOLATIONS, "recent violations", RECENT_VIOLATIONS.type(),
                        () -> RECENT_VIOLATIONS.of(rows(runtime.scopes().recentViolations(), entry -> {
                            ScopeViolation violation = entry.value();
                            return new Object[] {entry.sequence(), violation.kind().name(), violation.at().toString(),
                                    violation.scope(), violation.owner().toString(), violation.seenOn().toString(),
                                    violation.describe(), StackCapture.render(violation.entryStack())};
                        })));
    }

    private static OpenMBean resourcesBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Resources", "Registered resources and wrapped executors")
                .attribute(RuntimeMBeans.Resources.TYPES, "figures per resource type", RESOURCE_TYPES.type(),
                        () -> RESOURCE_TYPES.of(rows(runtime.resources().byType(), (ResourceTypeStats type) -> new Object[] {
                                type.type(), type.live(), type.opened(), type.closed(), type.failed(), type.collected(),
                                millis(type.oldestAge())})))
                .attribute(RuntimeMBeans.Resources.OLDEST, "open resources, oldest first", OLDEST.type(),
                        () -> OLDEST.of(rows(runtime.resources().oldest(LIST_LIMIT), (LiveResource resource) -> new Object[] {
                                resource.id(), resource.type(), resource.description(), resource.createdAt().toString(),
                                millis(resource.age()), resource.owner().toString(),
                                StackCapture.render(resource.allocationStack())})))
                .attribute(RuntimeMBeans.Resources.LEAKS, "recent leak reports", LEAKS.type(),
                        () -> LEAKS.of(rows(runtime.resources().leaks(), entry -> {
                            ResourceLeak leak = entry.value();
                            return new Object[] {entry.sequence(), leak.at().toString(), leak.id(), leak.type(),
                                    leak.description(), leak.reason().name(), millis(leak.age()), leak.owner().toString(),
                                    StackCapture.render(leak.allocationStack())};
                        })))
                .attribute(RuntimeMBeans.Resources.EXECUTORS, "figures per wrapped executor", EXECUTORS.type(),
                        () -> EXECUTORS.of(rows(runtime.tasks().stats(), (ExecutorStats executor) -> new Object[] {
                                executor.name(), executor.queued(), executor.running(), executor.completed(),
                                executor.failed(), executor.rejected(),
                                executor.timeInQueue().meanNanos() / NANOS_PER_MILLI,
                                executor.timeInQueue().p99Nanos() / NANOS_PER_MILLI})));
    }

    private static OpenMBean locksBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Locks", "Deadlocks and blocked threads")
                .attribute(RuntimeMBeans.Locks.DEADLOCKS, "threads of the deadlocks found by the last scan",
                        DEADLOCKS.type(), () -> deadlockTable(runtime.resources().locks().deadlocks()))
                .attribute(RuntimeMBeans.Locks.DEADLOCKS_DETECTED, "deadlock cycles found since start", SimpleType.LONG,
                        () -> (long) runtime.resources().locks().detectedDeadlocks().size())
                .attribute(RuntimeMBeans.Locks.BLOCKED_THREADS, "threads blocked longer than locks.blockedThreshold",
                        BLOCKED.type(), () -> BLOCKED.of(rows(runtime.resources().locks().blockedThreads(),
                                (BlockedThread blocked) -> concat(millis(blocked.blockedFor()), lockedThreadRow(blocked.thread())))))
                .operation(RuntimeMBeans.Locks.FIND_DEADLOCKS, "looks for deadlocks now", DEADLOCKS.type(), OpenMBean.INFO,
                        params -> deadlockTable(runtime.resources().locks().findDeadlocks()));
    }

    private static Object deadlockTable(List<Deadlock> deadlocks) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < deadlocks.size(); i++) {
            for (LockedThread thread : deadlocks.get(i).threads()) {
                rows.add(concat(i + 1, lockedThreadRow(thread)));
            }
        }
        return DEADLOCKS.of(rows);
    }

    private static Object[] lockedThreadRow(LockedThread thread) {
        return new Object[] {thread.thread().id(), thread.thread().toString(), thread.state(), thread.waitingFor(),
                threadText(thread.lockOwner()), String.join("\n", thread.locksHeld()),
                StackCapture.render(thread.stack())};
    }

    private static OpenMBean systemBean(SondeRuntime runtime) {
        Supplier<SystemSnapshot> system = () -> runtime.resources().system().snapshot();
        return new OpenMBean("dev.sonde.runtime.System", "Process and machine")
                .attribute(RuntimeMBeans.System.PROCESS_CPU_LOAD, "0..1, -1 when not reported", SimpleType.DOUBLE,
                        () -> system.get().processCpuLoad())
                .attribute(RuntimeMBeans.System.SYSTEM_CPU_LOAD, "0..1, -1 when not reported", SimpleType.DOUBLE,
                        () -> system.get().systemCpuLoad())
                .attribute(RuntimeMBeans.System.HEAP_USED, "bytes", SimpleType.LONG, () -> system.get().heapUsed())
                .attribute(RuntimeMBeans.System.HEAP_COMMITTED, "bytes", SimpleType.LONG, () -> system.get().heapCommitted())
                .attribute(RuntimeMBeans.System.HEAP_MAX, "bytes, -1 when unlimited", SimpleType.LONG, () -> system.get().heapMax())
                .attribute(RuntimeMBeans.System.NON_HEAP_USED, "bytes", SimpleType.LONG, () -> system.get().nonHeapUsed())
                .attribute(RuntimeMBeans.System.NON_HEAP_COMMITTED, "bytes", SimpleType.LONG,
                        () -> system.get().nonHeapCommitted())
                .attribute(RuntimeMBeans.System.GC_COLLECTIONS, "collections, all collectors", SimpleType.LONG,
                        () -> system.get().gcCollections())
                .attribute(RuntimeMBeans.System.GC_TIME_MILLIS, "ms in collections, all collectors", SimpleType.LONG,
                        () -> system.get().gcTimeMillis())
                .attribute(RuntimeMBeans.System.GARBAGE_COLLECTORS, "figures per collector", GARBAGE_COLLECTORS.type(),
                        () -> GARBAGE_COLLECTORS.of(rows(system.get().garbageCollectors(),
                                (GcStats gc) -> new Object[] {gc.name(), gc.collections(), gc.timeMillis()})))
                .attribute(RuntimeMBeans.System.THREAD_COUNT, "live threads", SimpleType.INTEGER,
                        () -> system.get().threadCount())
                .attribute(RuntimeMBeans.System.DAEMON_THREAD_COUNT, "live daemon threads", SimpleType.INTEGER,
                        () -> system.get().daemonThreadCount())
                .attribute(RuntimeMBeans.System.PEAK_THREAD_COUNT, "most live threads at once", SimpleType.INTEGER,
                        () -> system.get().peakThreadCount())
                .attribute(RuntimeMBeans.System.VIRTUAL_THREAD_SCHEDULER, "null before JDK 24", SCHEDULER,
                        () -> system.get().virtualThreadScheduler().map(JmxExporter::schedulerData).orElse(null));
    }

    private static Object schedulerData(VirtualThreadSchedulerStats scheduler) {
        return Table.composite(SCHEDULER, SCHEDULER_ITEMS, new Object[] {
                (long) scheduler.parallelism(), (long) scheduler.poolSize(), (long) scheduler.mounted(), scheduler.queued()});
    }

    private static OpenMBean recoveryBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Recovery", "Recovery policies")
                .attribute(RuntimeMBeans.Recovery.POLICIES, "figures per policy", POLICIES.type(),
                        () -> POLICIES.of(rows(runtime.recovery().stats(), (RecoveryStats stats) -> new Object[] {
                                stats.name(), stats.calls(), stats.attempts(), stats.succeededFirstTry(), stats.recovered(),
                                stats.failedAfterRetries(), stats.failedFast(), stats.fallbacks(),
                                stats.recoveryTime().p50Nanos() / NANOS_PER_MILLI,
                                stats.recoveryTime().p99Nanos() / NANOS_PER_MILLI})));
    }

    private static OpenMBean kpisBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Kpis", "Key indicators")
                .attribute(RuntimeMBeans.Kpis.READINGS, "the last evaluation", KPI_READINGS.type(),
                        () -> KPI_READINGS.of(rows(runtime.kpis().latest(), JmxExporter::kpiRow)))
                .attribute(RuntimeMBeans.Kpis.ALERTS, "breaches, oldest first", KPI_ALERTS.type(),
                        () -> KPI_ALERTS.of(rows(runtime.kpis().alerts(), entry -> {
                            KpiAlert alert = entry.value();
                            return new Object[] {entry.sequence(), alert.kpi().key(), alert.at().toString(), alert.value(),
                                    alert.threshold()};
                        })))
                .operation(RuntimeMBeans.Kpis.EVALUATE, "evaluates the indicators now", KPI_READINGS.type(),
                        OpenMBean.ACTION, params -> KPI_READINGS.of(rows(runtime.kpis().evaluate(), JmxExporter::kpiRow)));
    }

    private static Object[] kpiRow(KpiReading reading) {
        return new Object[] {reading.kpi().key(), reading.value(), reading.threshold(), reading.kpi().unit(), reading.breached()};
    }

    private static OpenMBean settingsBean(SondeRuntime runtime) {
        return new OpenMBean("dev.sonde.runtime.Settings", "Runtime settings, changeable while the service runs")
                .attribute(RuntimeMBeans.Settings.SETTINGS, "key, value, default and description", SETTINGS.type(), () -> {
                    Map<String, String> values = runtime.settings().current().asText();
                    Map<String, String> defaults = Settings.defaults().asText();
                    List<Object[]> rows = new ArrayList<>();
                    for (Setting<?> setting : Setting.all()) {
                        rows.add(new Object[] {setting.key(), values.get(setting.key()), defaults.get(setting.key()),
                                setting.description()});
                    }
                    return SETTINGS.of(rows);
                })
                .attribute(RuntimeMBeans.Settings.CONFIG_FILE, "the settings file watched, or null", SimpleType.STRING,
                        () -> runtime.settingsFile().map(file -> file.path().toString()).orElse(null))
                .attribute(RuntimeMBeans.Settings.LAST_RELOAD_AT, "when the settings file was last applied, or null",
                        SimpleType.STRING, () -> runtime.settingsFile().map(SettingsFile.Status::lastReloadAt)
                                .map(Object::toString).orElse(null))
                .attribute(RuntimeMBeans.Settings.LAST_ERROR, "why the settings file's newest content was not applied, or null",
                        SimpleType.STRING, () -> runtime.settingsFile().map(SettingsFile.Status::lastError).orElse(null))
                .operation(RuntimeMBeans.Settings.SET, "sets one value; an invalid value changes nothing", SimpleType.VOID,
                        OpenMBean.ACTION, params -> {
                            runtime.settings().set((String) params[0], (String) params[1]);
                            return null;
                        },
                        new OpenMBean.Parameter("key", "setting key, e.g. scopes.mode", SimpleType.STRING),
                        new OpenMBean.Parameter("value", "new value, e.g. STRICT", SimpleType.STRING))
                .operation(RuntimeMBeans.Settings.APPLY, "sets key=value lines, all or none", SimpleType.VOID,
                        OpenMBean.ACTION, params -> {
                            runtime.settings().applyText((String) params[0]);
                            return null;
                        },
                        new OpenMBean.Parameter("properties", "key=value lines", SimpleType.STRING))
                .operation(RuntimeMBeans.Settings.RESET, "every setting back to its default", SimpleType.VOID,
                        OpenMBean.ACTION, params -> {
                            runtime.settings().reset();
                            return null;
                        });
    }

    private static <T> List<Object[]> rows(List<T> items, Function<T, Object[]> row) {
        List<Object[]> rows = new ArrayList<>(items.size());
        for (T item : items) {
            rows.add(row.apply(item));
        }
        return rows;
    }

    private static String threadText(ThreadRef thread) {
        return thread == null ? "" : thread.toString();
    }

    private static double millis(Duration duration) {
        return duration.toNanos() / NANOS_PER_MILLI;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static Object[] concat(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static Column[] concat(Column first, Column[] rest) {
        Column[] all = new Column[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static CompositeType schedulerType() {
        try {
            OpenType<?>[] types = {SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG};
            return new CompositeType("VirtualThreadScheduler", "The virtual-thread scheduler", SCHEDULER_ITEMS,
                    new String[] {"carrier threads it aims to keep busy", "carrier threads now",
                            "virtual threads on a carrier", "virtual threads waiting for a carrier"}, types);
        } catch (OpenDataException badDefinition) {
            throw new IllegalStateException("The JMX type VirtualThreadScheduler is defined wrongly.", badDefinition);
        }
    }

    private static Column text(String name, String description) {
        return new Column(name, SimpleType.STRING, description);
    }

    private static Column number(String name, String description) {
        return new Column(name, SimpleType.LONG, description);
    }

    private static Column integer(String name, String description) {
        return new Column(name, SimpleType.INTEGER, description);
    }

    private static Column decimal(String name, String description) {
        return new Column(name, SimpleType.DOUBLE, description);
    }

    private static Column bool(String name, String description) {
        return new Column(name, SimpleType.BOOLEAN, description);
    }
}
