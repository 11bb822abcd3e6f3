package dev.sonde.cli.inspect;

import dev.sonde.dashboard.jvm.PlatformSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.JvmConnection.SettingValue;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Deadlock;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Executor;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.KpiAlert;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.KpiReading;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Leak;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.LockedThread;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.OperationFailure;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.OperationFigures;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.RecoveryPolicy;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.ResourceType;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.SystemFigures;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Violation;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** A runtime snapshot as text for people: the full report of {@code sonde inspect}, and the short digest {@code sonde demo} shows. */
public final class InspectionText {

    /** Entries shown from each history (violations, leaks, failures); {@code --json} has them all. */
    private static final int RECENT_SHOWN = 3;
    private static final int FRAMES_SHOWN = 8;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private InspectionText() {
    }

    /** Every section of the report, one line per list element. */
    public static List<String> report(long pid, String mainClass, RuntimeSnapshot snapshot, List<SettingValue> settings) {
        List<String> lines = new ArrayList<>();
        lines.add("Sonde runtime in JVM " + pid + " (" + mainClass + "), running for "
                + duration(elapsedMillis(snapshot.startedAt(), snapshot.capturedAt())) + "; read at " + clock(snapshot.capturedAt()) + ".");
        String changed = settings.stream().filter(s -> !s.value().equals(s.defaultValue()))
                .map(s -> s.key() + "=" + s.value()).collect(Collectors.joining(", "));
        lines.add("Settings not at their defaults: " + (changed.isEmpty() ? "none" : changed));
        settingsFile(snapshot.settingsFile(), lines);
        operations(snapshot, lines);
        scopes(snapshot, lines);
        resources(snapshot, lines);
        locks(snapshot, lines);
        executors(snapshot, lines);
        recovery(snapshot, lines);
        kpis(snapshot, lines);
        system(snapshot.system(), lines);
        return lines;
    }

    /**
     * What a JVM without sonde-runtime says over its platform MBeans: deadlocks and threads waiting for a lock (with
     * their owners), then the same System section as the runtime's report, and one line on how to add the runtime.
     */
    public static List<String> platformReport(long pid, String mainClass, PlatformSnapshot platform) {
        List<String> lines = new ArrayList<>();
        lines.add("JVM " + pid + " (" + mainClass + "), " + platform.vmName() + " " + platform.vmVersion() + ", running for "
                + duration(platform.uptimeMillis()) + "; read at " + clock(platform.capturedAt()) + ".");
        lines.add("sonde-runtime is not in this JVM, so this is what the JVM itself reports; for operations, scope misuse, leaks "
                + "and KPIs, add the dev.sonde:sonde-runtime dependency and call SondeRuntime.install() at startup (docs/runtime.md).");
        lines.add("");
        lines.add("Deadlocks: " + (platform.deadlocks().isEmpty() ? "none" : platform.deadlocks().size() + " now"));
        cycles(platform.deadlocks(), false, lines);
        lines.add("Threads waiting for a lock another thread holds: "
                + (platform.blockedThreads().isEmpty() ? "none" : platform.blockedThreads().size()));
        for (LockedThread thread : platform.blockedThreads()) {
            lockedThread(thread, "  ", lines);
        }
        system(platform.system(), lines);
        return lines;
    }

    private static void settingsFile(RuntimeSnapshot.SettingsFile file, List<String> lines) {
        if (file == null) {
            return;
        }
        String applied = file.lastReloadAt() == null ? "never applied" : "applied at " + clock(file.lastReloadAt());
        lines.add("Settings file: " + file.path() + ", " + applied);
        if (file.lastError() != null) {
            lines.add("  its newest content was NOT applied, the settings in force stay: " + file.lastError());
        }
    }

    /** A few lines: operations with their error rates, the newest scope violation and leak, recovery, KPIs. */
    public static List<String> digest(RuntimeSnapshot snapshot) {
        List<String> lines = new ArrayList<>();
        TextTable operations = new TextTable("OPERATION", "ENDED", "ERRORS", "P99");
        for (OperationFigures op : snapshot.operations().byName()) {
            operations.row(op.name(), op.window().count(), percent(op.window().errorRate()), duration(op.window().p99Millis()));
        }
        lines.addAll(operations.lines(""));
        newestOf(snapshot.scopes().recentViolations()).ifPresent(v -> lines.add("scope violation: " + v.description()));
        newestOf(snapshot.resources().leaks()).ifPresent(leak -> lines.add("leak: " + describe(leak)));
        for (RecoveryPolicy policy : snapshot.recovery()) {
            lines.add("recovery '" + policy.name() + "': " + policy.calls() + " calls, " + policy.attempts() + " attempts, "
                    + policy.recovered() + " recovered by retrying, " + policy.failedAfterRetries() + " gave up; recovery time p99 "
                    + duration(policy.recoveryTime().p99Millis()));
        }
        lines.add("KPIs:");
        lines.addAll(kpiTable(snapshot, "  "));
        return lines;
    }

    private static void operations(RuntimeSnapshot snapshot, List<String> lines) {
        List<OperationFigures> byName = snapshot.operations().byName();
        lines.add("");
        lines.add("Operations, " + snapshot.operations().inFlight() + " in flight"
                + window(byName.isEmpty() ? 0 : byName.get(0).window().windowMillis(), "error rates and durations"));
        if (byName.isEmpty()) {
            lines.add("  none tracked yet");
            return;
        }
        TextTable table = new TextTable("NAME", "STARTED", "IN FLIGHT", "FAILED", "ERROR RATE", "MEAN", "P50", "P99", "MAX");
        for (OperationFigures op : byName) {
            table.row(op.name(), op.started(), op.inFlight(), op.failed() + op.timedOut(), percent(op.window().errorRate()),
                    duration(op.window().meanMillis()), duration(op.window().p50Millis()), duration(op.window().p99Millis()),
                    duration(op.window().maxMillis()));
        }
        lines.addAll(table.lines("  "));
        for (OperationFigures op : byName) {
            if (!op.failuresByErrorClass().isEmpty()) {
                lines.add("  " + op.name() + " failed with: " + op.failuresByErrorClass().entrySet().stream()
                        .map(e -> e.getKey() + " ×" + e.getValue()).collect(Collectors.joining(", ")));
            }
        }
        List<OperationFailure> failures = snapshot.operations().recentFailures();
        if (!failures.isEmpty()) {
            lines.add("  recent failures" + shownOf(failures.size()) + ":");
            for (OperationFailure failure : newest(failures)) {
                lines.add("    " + clock(failure.at()) + "  " + failure.operation() + " " + failure.outcome() + " after "
                        + duration(failure.durationMillis()) + " on " + failure.thread() + ": " + failure.errorClass()
                        + (failure.message() == null || failure.message().isEmpty() ? "" : ": " + failure.message()));
            }
        }
        if (!snapshot.operations().asyncInFlight().isEmpty()) {
            lines.add("  oldest asynchronous in flight: " + snapshot.operations().asyncInFlight().stream().limit(RECENT_SHOWN)
                    .map(op -> op.operation() + " for " + duration(op.ageMillis()) + " (started on " + op.startedOn() + ")")
                    .collect(Collectors.joining(", ")));
        }
    }

    private static void scopes(RuntimeSnapshot snapshot, List<String> lines) {
        RuntimeSnapshot.Scopes scopes = snapshot.scopes();
        String byKind = scopes.violationsByKind().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        lines.add("");
        lines.add("Scopes: mode " + scopes.mode() + "; " + scopes.entered() + " entered, " + scopes.violations() + " violation"
                + (scopes.violations() == 1 ? "" : "s") + (byKind.isEmpty() ? "" : " (" + byKind + ")"));
        List<Violation> recent = scopes.recentViolations();
        if (recent.isEmpty()) {
            return;
        }
        lines.add("  recent violations" + shownOf(recent.size()) + ":");
        List<String> previousStack = List.of();
        for (Violation violation : newest(recent)) {
            lines.add("    " + clock(violation.at()) + "  " + violation.kind() + ": " + violation.description());
            stack("entered", violation.entryStack(), previousStack, lines);
            previousStack = violation.entryStack();
        }
    }

    private static void resources(RuntimeSnapshot snapshot, List<String> lines) {
        lines.add("");
        lines.add("Resources");
        List<ResourceType> types = snapshot.resources().byType();
        if (types.isEmpty()) {
            lines.add("  none registered yet");
        } else {
            TextTable table = new TextTable("TYPE", "LIVE", "OPENED", "CLOSED", "FAILED", "COLLECTED", "OLDEST OPEN");
            for (ResourceType type : types) {
                table.row(type.type(), type.live(), type.opened(), type.closed(), type.failed(), type.collected(),
                        type.live() == 0 ? "-" : duration(type.oldestAgeMillis()));
            }
            lines.addAll(table.lines("  "));
        }
        List<Leak> leaks = snapshot.resources().leaks();
        lines.add("  leaks: " + (leaks.isEmpty() ? "none" : leaks.size() + " reported" + shownOf(leaks.size())));
        List<String> previousStack = List.of();
        for (Leak leak : newest(leaks)) {
            lines.add("    " + clock(leak.at()) + "  " + describe(leak));
            stack("registered", leak.allocationStack(), previousStack, lines);
            previousStack = leak.allocationStack();
        }
    }

    private static void locks(RuntimeSnapshot snapshot, List<String> lines) {
        RuntimeSnapshot.Locks locks = snapshot.locks();
        lines.add("");
        lines.add("Deadlocks: " + (locks.deadlocks().isEmpty() ? "none" : locks.deadlocks().size() + " now")
                + " (" + locks.deadlocksDetected() + " found since start)");
        cycles(locks.deadlocks(), true, lines);
        String threshold = snapshot.settings().getOrDefault("locks.blockedThreshold", "the threshold");
        lines.add("Threads blocked longer than " + threshold + ": " + (locks.blockedThreads().isEmpty() ? "none" : locks.blockedThreads().size()));
        for (RuntimeSnapshot.BlockedThread blocked : locks.blockedThreads()) {
            lines.add("  for " + duration(blocked.blockedForMillis()) + ":");
            lockedThread(blocked.thread(), "    ", lines);
        }
    }

    private static void cycles(List<Deadlock> deadlocks, boolean withTime, List<String> lines) {
        int number = 0;
        for (Deadlock deadlock : deadlocks) {
            lines.add("  deadlock " + ++number + (withTime ? ", seen at " + clock(deadlock.detectedAt()) : "") + ":");
            for (LockedThread thread : deadlock.threads()) {
                lockedThread(thread, "    ", lines);
            }
        }
    }

    private static void lockedThread(LockedThread thread, String indent, List<String> lines) {
        lines.add(indent + thread.thread() + " " + thread.state()
                + (thread.waitingFor() == null || thread.waitingFor().isEmpty() ? "" : ", wants " + thread.waitingFor()
                + (thread.lockOwner() == null ? "" : " held by " + thread.lockOwner()))
                + (thread.locksHeld().isEmpty() ? ", holds nothing" : ", holds " + String.join(", ", thread.locksHeld())));
        frames(thread.stack(), indent + "  ", lines);
    }

    private static void executors(RuntimeSnapshot snapshot, List<String> lines) {
        List<Executor> executors = snapshot.executors();
        lines.add("");
        lines.add("Executors" + window(executors.isEmpty() ? 0 : executors.get(0).timeInQueue().windowMillis(), "time in queue"));
        if (executors.isEmpty()) {
            lines.add("  none wrapped");
            return;
        }
        TextTable table = new TextTable("NAME", "QUEUED", "RUNNING", "COMPLETED", "FAILED", "REJECTED", "QUEUE MEAN", "QUEUE P99");
        for (Executor executor : executors) {
            table.row(executor.name(), executor.queued(), executor.running(), executor.completed(), executor.failed(),
                    executor.rejected(), duration(executor.timeInQueue().meanMillis()), duration(executor.timeInQueue().p99Millis()));
        }
        lines.addAll(table.lines("  "));
    }

    private static void recovery(RuntimeSnapshot snapshot, List<String> lines) {
        List<RecoveryPolicy> policies = snapshot.recovery();
        lines.add("");
        lines.add("Recovery" + window(policies.isEmpty() ? 0 : policies.get(0).recoveryTime().windowMillis(), "recovery times"));
        if (policies.isEmpty()) {
            lines.add("  no policy used yet");
            return;
        }
        TextTable table = new TextTable("POLICY", "CALLS", "ATTEMPTS", "FIRST TRY", "RECOVERED", "GAVE UP", "FAILED FAST",
                "FALLBACKS", "RECOVERY P50", "RECOVERY P99");
        for (RecoveryPolicy policy : policies) {
            table.row(policy.name(), policy.calls(), policy.attempts(), policy.succeededFirstTry(), policy.recovered(),
                    policy.failedAfterRetries(), policy.failedFast(), policy.fallbacks(),
                    duration(policy.recoveryTime().p50Millis()), duration(policy.recoveryTime().p99Millis()));
        }
        lines.addAll(table.lines("  "));
    }

    private static void kpis(RuntimeSnapshot snapshot, List<String> lines) {
        lines.add("");
        lines.add("KPIs");
        lines.addAll(kpiTable(snapshot, "  "));
        List<KpiAlert> alerts = snapshot.kpis().alerts();
        lines.add("Alerts: " + (alerts.isEmpty() ? "none" : alerts.size() + shownOf(alerts.size())));
        Map<String, KpiReading> readings = snapshot.kpis().readings().stream()
                .collect(Collectors.toMap(KpiReading::name, k -> k, (a, b) -> a));
        for (KpiAlert alert : newest(alerts)) {
            KpiReading kpi = readings.get(alert.name());
            lines.add("  " + clock(alert.at()) + "  " + label(alert.name()) + " was " + (kpi == null ? alert.value() : kpiValue(kpi, alert.value()))
                    + (kpi == null ? "" : ", " + goal(kpi)));
        }
    }

    /** One line per KPI: its value, its goal, and whether the goal is met. */
    private static List<String> kpiTable(RuntimeSnapshot snapshot, String indent) {
        TextTable table = new TextTable("", "", "", "").alignLeft(2, 3);
        for (KpiReading kpi : snapshot.kpis().readings()) {
            table.row(label(kpi.name()), kpiValue(kpi, kpi.value()), goal(kpi), kpiStatus(kpi));
        }
        return table.lines(indent).stream().skip(1).toList();
    }

    private static void system(SystemFigures system, List<String> lines) {
        lines.add("");
        lines.add("System");
        lines.add("  CPU: this process " + load(system.processCpuLoad()) + ", the machine " + load(system.systemCpuLoad()) + " ("
                + system.availableProcessors() + " processors)");
        lines.add("  memory: heap " + bytes(system.heapUsed()) + " used of " + bytes(system.heapCommitted()) + " committed"
                + (system.heapMax() > 0 ? " (max " + bytes(system.heapMax()) + ")" : "") + ", non-heap " + bytes(system.nonHeapUsed()));
        lines.add("  threads: " + system.threadCount() + " live (" + system.daemonThreadCount() + " daemon), peak "
                + system.peakThreadCount() + ", " + system.startedThreadCount() + " started");
        lines.add("  GC: " + system.garbageCollectors().stream().map(gc -> gc.name() + " " + gc.collections() + " in "
                + duration(gc.timeMillis())).collect(Collectors.joining(", ")));
        if (system.virtualThreadScheduler() != null) {
            RuntimeSnapshot.VirtualThreadScheduler scheduler = system.virtualThreadScheduler();
            lines.add("  virtual threads: " + scheduler.poolSize() + " carriers (parallelism " + scheduler.parallelism() + "), "
                    + scheduler.mounted() + " mounted, " + scheduler.queued() + " queued");
        }
    }

    private static String describe(Leak leak) {
        String what = leak.type() + " #" + leak.id() + " " + leak.description() + " registered on " + leak.owner();
        return "COLLECTED_WITHOUT_CLOSE".equals(leak.reason()) ? what + ": garbage collected without being closed"
                : what + ": still open after " + duration(leak.ageMillis());
    }

    /** A recorded stack under its report; the same stack as the report above is not repeated. */
    private static void stack(String what, List<String> frames, List<String> previous, List<String> lines) {
        if (frames.isEmpty()) {
            return;
        }
        if (frames.equals(previous)) {
            lines.add("      " + what + " at the same place");
            return;
        }
        lines.add("      " + what + " at");
        frames(frames, "        ", lines);
    }

    private static void frames(List<String> frames, String indent, List<String> lines) {
        frames.stream().limit(FRAMES_SHOWN).forEach(frame -> lines.add(indent + frame));
        if (frames.size() > FRAMES_SHOWN) {
            lines.add(indent + "... " + (frames.size() - FRAMES_SHOWN) + " more");
        }
    }

    private static <T> List<T> newest(List<T> oldestFirst) {
        return oldestFirst.subList(Math.max(0, oldestFirst.size() - RECENT_SHOWN), oldestFirst.size());
    }

    private static <T> Optional<T> newestOf(List<T> oldestFirst) {
        return oldestFirst.isEmpty() ? Optional.empty() : Optional.of(oldestFirst.get(oldestFirst.size() - 1));
    }

    private static String shownOf(int size) {
        return size > RECENT_SHOWN ? " (newest " + RECENT_SHOWN + " of " + size + " shown; --json has all)" : "";
    }

    private static String window(long windowMillis, String what) {
        return windowMillis <= 0 ? "" : " (" + what + " over the last " + duration(windowMillis) + ")";
    }

    /** {@code scopeViolationRate} → {@code scope violation rate}. */
    private static String label(String kpi) {
        return kpi.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    private static String kpiValue(KpiReading kpi, Double value) {
        if (value == null) {
            return "no data";
        }
        return "ratio".equals(kpi.unit()) ? percent(value) : "ms".equals(kpi.unit()) ? duration(value) : value + " " + kpi.unit();
    }

    private static String goal(KpiReading kpi) {
        return "goal " + ("above".equals(kpi.goal()) ? "above " : "below ") + kpiValue(kpi, kpi.threshold());
    }

    private static String kpiStatus(KpiReading kpi) {
        return kpi.value() == null ? "nothing to measure yet" : kpi.breached() ? "MISSED" : "met";
    }

    private static String percent(Double ratio) {
        if (ratio == null) {
            return "-";
        }
        double percent = ratio * 100;
        if (percent > 0 && percent < 1) {
            return String.format(Locale.ROOT, "%.2f", percent).replaceAll("0$", "") + "%";
        }
        return String.format(Locale.ROOT, "%.1f%%", percent);
    }

    private static String load(double load) {
        return load < 0 ? "not reported" : percent(load);
    }

    /** Milliseconds as a person reads them: {@code 0.42 ms}, {@code 61 ms}, {@code 2.3 s}, {@code 1 min}. */
    private static String duration(double millis) {
        if (millis == 0) {
            return "0 ms";
        }
        // Each bound is where the next format's rounding starts, so 9.97 reads 10 ms, not 10.0 ms.
        if (millis < 9.95) {
            return String.format(Locale.ROOT, millis < 0.995 ? "%.2f ms" : "%.1f ms", millis);
        }
        if (millis < 999.5) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        if (millis < 59_950) {
            return decimal(millis / 1_000) + " s";
        }
        return decimal(millis / 60_000) + " min";
    }

    /** One decimal, none when it is 0: {@code 1.5}, {@code 30}. */
    private static String decimal(double value) {
        String text = String.format(Locale.ROOT, "%.1f", value);
        return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
    }

    private static String bytes(long bytes) {
        double megabytes = bytes / (1024.0 * 1024);
        return megabytes >= 1024 ? String.format(Locale.ROOT, "%.1f GB", megabytes / 1024) : String.format(Locale.ROOT, "%.1f MB", megabytes);
    }

    private static double elapsedMillis(String from, String to) {
        try {
            return Duration.between(Instant.parse(from), Instant.parse(to)).toNanos() / 1e6;
        } catch (DateTimeParseException | NullPointerException unreadable) {
            return 0;
        }
    }

    /** An ISO-8601 instant as the local time of day, which is what a person compares with their clock. */
    private static String clock(String instant) {
        try {
            return LocalTime.ofInstant(Instant.parse(instant), ZoneId.systemDefault()).format(CLOCK);
        } catch (DateTimeParseException | NullPointerException unreadable) {
            return String.valueOf(instant);
        }
    }
}
