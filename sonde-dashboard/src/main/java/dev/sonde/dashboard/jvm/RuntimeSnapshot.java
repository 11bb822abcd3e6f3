package dev.sonde.dashboard.jvm;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.error.SondeException;

import java.util.List;
import java.util.Map;

/**
 * The state of a Sonde runtime as its JSON snapshot (the {@code snapshotJson} operation of its Runtime
 * MBean) tells it: what {@code sonde inspect} shows. Durations are milliseconds, times ISO-8601 text.
 * Fields this reader does not know are skipped, and missing lists read as empty.
 *
 * @param settingsFile the file the runtime reloads its settings from ({@code -Dsonde.runtime.config}), or null
 */
public record RuntimeSnapshot(String capturedAt, String startedAt, Map<String, String> settings, SettingsFile settingsFile,
                              Operations operations,
                              Scopes scopes, Resources resources, Locks locks, List<Executor> executors,
                              SystemFigures system, List<RecoveryPolicy> recovery, Kpis kpis) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static {
        JSON.configOverride(List.class).setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY));
        JSON.configOverride(Map.class).setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY));
    }

    /** Reads the runtime's JSON snapshot. */
    public static RuntimeSnapshot parse(String json) {
        try {
            return JSON.readValue(json, RuntimeSnapshot.class);
        } catch (JsonProcessingException e) {
            throw SondeException.badState("The runtime's snapshot is not the JSON Sonde expects (" + e.getOriginalMessage()
                    + "); use a sonde-runtime of the same version as this sonde.");
        }
    }

    /**
     * A settings file the runtime watches.
     *
     * @param lastReloadAt when it was last applied (ISO-8601), or null when it never was
     * @param lastError    why its newest content was not applied, or null when it was
     */
    public record SettingsFile(String path, String lastReloadAt, String lastError) {
    }

    /** A thread as the runtime saw it. */
    public record ThreadRef(long id, String name, boolean virtual) {
        /** {@code worker-1#31}, or {@code virtual#45} for an unnamed virtual thread, as the runtime writes it. */
        @Override
        public String toString() {
            String shown = name == null || name.isEmpty() ? (virtual ? "virtual" : "unnamed") : name;
            return shown + "#" + id;
        }
    }

    /** Figures over a sliding window; rates are null when nothing ended in it. */
    public record Window(long windowMillis, long count, long errors, Double errorRate, double meanMillis, double p50Millis,
                         double p99Millis, double maxMillis) {
    }

    public record Operations(long inFlight, List<OperationFigures> byName, List<AsyncOperation> asyncInFlight,
                             List<OperationFailure> recentFailures) {
    }

    public record OperationFigures(String name, long started, long inFlight, long succeeded, long failed, long cancelled,
                                   long timedOut, Window window, Map<String, Long> failuresByErrorClass) {
    }

    public record AsyncOperation(String operation, String startedAt, double ageMillis, ThreadRef startedOn) {
    }

    public record OperationFailure(long sequence, String at, String operation, String outcome, String errorClass,
                                   String message, double durationMillis, ThreadRef thread) {
    }

    public record Scopes(String mode, long entered, long violations, Map<String, Long> violationsByKind,
                         List<Violation> recentViolations) {
    }

    /** A scope misused: {@code owner} entered it, the misuse happened on {@code seenOn}. */
    public record Violation(long sequence, String kind, String at, String scope, ThreadRef owner, ThreadRef seenOn,
                            String description, List<String> entryStack) {
    }

    public record Resources(List<ResourceType> byType, List<OpenResource> oldest, List<Leak> leaks) {
    }

    public record ResourceType(String type, long live, long opened, long closed, long failed, long collected,
                               double oldestAgeMillis) {
    }

    public record OpenResource(long id, String type, String description, String createdAt, double ageMillis,
                               ThreadRef owner, List<String> allocationStack) {
    }

    /** A resource reported leaked: open past {@code resources.leakAge}, or garbage collected without close. */
    public record Leak(long sequence, String at, long id, String type, String description, String reason, double ageMillis,
                       ThreadRef owner, List<String> allocationStack) {
    }

    public record Locks(long deadlocksDetected, List<Deadlock> deadlocks, List<BlockedThread> blockedThreads) {
    }

    /** One cycle of threads, each waiting for a lock the next one holds. */
    public record Deadlock(String detectedAt, List<LockedThread> threads) {
    }

    public record LockedThread(ThreadRef thread, String state, String waitingFor, ThreadRef lockOwner, List<String> locksHeld,
                               List<String> stack) {
    }

    public record BlockedThread(double blockedForMillis, LockedThread thread) {
    }

    public record Executor(String name, long queued, long running, long completed, long failed, long rejected,
                           Window timeInQueue) {
    }

    /** CPU loads are 0..1, or negative when the JVM does not report them; sizes are bytes. */
    public record SystemFigures(double processCpuLoad, double systemCpuLoad, int availableProcessors, long heapUsed,
                                long heapCommitted, long heapMax, long nonHeapUsed, long nonHeapCommitted, int threadCount,
                                int daemonThreadCount, int peakThreadCount, long startedThreadCount,
                                List<GarbageCollector> garbageCollectors, VirtualThreadScheduler virtualThreadScheduler) {
    }

    public record GarbageCollector(String name, long collections, long timeMillis) {
    }

    /** Only on JDK 24 and later. */
    public record VirtualThreadScheduler(int parallelism, int poolSize, int mounted, long queued) {
    }

    public record RecoveryPolicy(String name, long calls, long attempts, long succeededFirstTry, long recovered,
                                 long failedAfterRetries, long failedFast, long fallbacks, Window recoveryTime) {
    }

    public record Kpis(List<KpiReading> readings, List<KpiAlert> alerts) {
    }

    /** A KPI at the runtime's last evaluation; the value is null while there is nothing to compute it from. */
    public record KpiReading(String name, String unit, Double value, Double threshold, String goal, boolean breached) {
    }

    public record KpiAlert(long sequence, String name, String at, Double value, Double threshold) {
    }
}
