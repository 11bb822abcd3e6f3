package dev.sonde.runtime.json;

import dev.sonde.runtime.SondeRuntime;
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
import dev.sonde.runtime.resources.tasks.ExecutorStats;
import dev.sonde.runtime.scopes.ScopeViolation;
import dev.sonde.runtime.scopes.ViolationKind;
import dev.sonde.runtime.stats.History;
import dev.sonde.runtime.stats.WindowSnapshot;
import dev.sonde.runtime.threads.CapturedStack;
import dev.sonde.runtime.threads.ThreadRef;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The runtime's state as one JSON document: what {@code sonde inspect PID --json} prints. Durations
 * are in milliseconds, times in ISO-8601, threads as {@code {id, name, virtual}}.
 */
public final class RuntimeJson {

    private static final double NANOS_PER_MILLI = 1_000_000.0;
    private static final int LIST_LIMIT = 100;
    private static final int ENTRY_LENGTH = 512;
    /** The last documents' lengths (whole, compact): the next one is about as long, so its buffer is made that size at once. */
    private static volatile int lastLength = 16 * 1024;
    private static volatile int lastCompactLength = 16 * 1024;

    private RuntimeJson() {
    }

    public static String snapshot(SondeRuntime runtime) {
        String document = snapshot(runtime, Integer.MAX_VALUE, lastLength);
        lastLength = document.length();
        return document;
    }

    /**
     * The same document with only the newest {@code newest} entries of each recent list (failures, violations, leaks,
     * alerts): what a dashboard polling every second shows, at a fraction of the size a busy runtime's full rings take.
     */
    public static String snapshot(SondeRuntime runtime, int newest) {
        String document = snapshot(runtime, Math.max(0, newest), lastCompactLength);
        lastCompactLength = document.length();
        return document;
    }

    private static String snapshot(SondeRuntime runtime, int newest, int expectedLength) {
        JsonWriter json = new JsonWriter(expectedLength + expectedLength / 8).beginObject();
        json.field("capturedAt", Instant.now());
        json.field("startedAt", runtime.startedAt());
        settings(json, runtime);
        operations(json, runtime, newest);
        scopes(json, runtime, newest);
        resources(json, runtime, newest);
        locks(json, runtime);
        executors(json, runtime);
        system(json, runtime.resources().system().snapshot());
        recovery(json, runtime);
        kpis(json, runtime, newest);
        return json.endObject().toString();
    }

    private static void settings(JsonWriter json, SondeRuntime runtime) {
        json.name("settings").beginObject();
        runtime.settings().current().asText().forEach(json::field);
        json.endObject();
        // Only a runtime with -Dsonde.runtime.config has one.
        runtime.settingsFile().ifPresent(file -> json.name("settingsFile").beginObject()
                .field("path", file.path().toString())
                .field("lastReloadAt", file.lastReloadAt() == null ? null : file.lastReloadAt().toString())
                .field("lastError", file.lastError())
                .endObject());
    }

    private static void operations(JsonWriter json, SondeRuntime runtime, int newest) {
        json.name("operations").beginObject();
        json.field("inFlight", runtime.operations().inFlight());
        json.name("byName").beginArray();
        for (OperationStats stats : runtime.operations().stats()) {
            json.beginObject()
                    .field("name", stats.name())
                    .field("started", stats.started())
                    .field("inFlight", stats.inFlight())
                    .field("succeeded", stats.succeeded())
                    .field("failed", stats.failed())
                    .field("cancelled", stats.cancelled())
                    .field("timedOut", stats.timedOut());
            window(json, "window", stats.window());
            json.name("failuresByErrorClass").beginObject();
            stats.failuresByErrorClass().forEach(json::field);
            json.endObject().endObject();
        }
        json.endArray();
        json.name("asyncInFlight").beginArray();
        for (InFlightOperation operation : runtime.operations().asyncInFlight(LIST_LIMIT)) {
            json.beginObject()
                    .field("operation", operation.operation())
                    .field("startedAt", operation.startedAt())
                    .field("ageMillis", operation.age().toNanos() / NANOS_PER_MILLI);
            thread(json, "startedOn", operation.startedOn());
            json.endObject();
        }
        json.endArray();
        json.name("recentFailures");
        rendered(json, runtime.operations().recentFailures(RuntimeJson::failure), newest);
        json.endObject();
    }

    private static String failure(History.Entry<OperationFailure> entry) {
        OperationFailure failure = entry.value();
        JsonWriter json = new JsonWriter(ENTRY_LENGTH).beginObject()
                .field("sequence", entry.sequence())
                .field("at", failure.at())
                .field("operation", failure.operation())
                .field("outcome", failure.outcome().name())
                .field("errorClass", failure.errorClass())
                .field("message", failure.message())
                .field("durationMillis", failure.duration().toNanos() / NANOS_PER_MILLI);
        thread(json, "thread", failure.thread());
        return json.endObject().toString();
    }

    /** History entries, each rendered once by the history and kept: a dashboard asks for the same ones every second. */
    private static void rendered(JsonWriter json, List<String> entries, int newest) {
        json.beginArray();
        for (String entry : entries.subList(Math.max(0, entries.size() - newest), entries.size())) {
            json.rawValue(entry);
        }
        json.endArray();
    }

    private static void scopes(JsonWriter json, SondeRuntime runtime, int newest) {
        json.name("scopes").beginObject()
                .field("mode", runtime.scopes().mode().name())
                .field("entered", runtime.scopes().entered())
                .field("violations", runtime.scopes().violations());
        json.name("violationsByKind").beginObject();
        for (Map.Entry<ViolationKind, Long> count : runtime.scopes().violationsByKind().entrySet()) {
            json.field(count.getKey().name(), count.getValue());
        }
        json.endObject();
        json.name("recentViolations");
        rendered(json, runtime.scopes().recentViolations(RuntimeJson::violation), newest);
        json.endObject();
    }

    private static String violation(History.Entry<ScopeViolation> entry) {
        ScopeViolation violation = entry.value();
        JsonWriter json = new JsonWriter(ENTRY_LENGTH).beginObject()
                .field("sequence", entry.sequence())
                .field("kind", violation.kind().name())
                .field("at", violation.at())
                .field("scope", violation.scope());
        thread(json, "owner", violation.owner());
        thread(json, "seenOn", violation.seenOn());
        json.field("description", violation.describe());
        stack(json, "entryStack", violation.entryStack());
        return json.endObject().toString();
    }

    private static void resources(JsonWriter json, SondeRuntime runtime, int newest) {
        json.name("resources").beginObject();
        json.name("byType").beginArray();
        for (ResourceTypeStats type : runtime.resources().byType()) {
            json.beginObject()
                    .field("type", type.type())
                    .field("live", type.live())
                    .field("opened", type.opened())
                    .field("closed", type.closed())
                    .field("failed", type.failed())
                    .field("collected", type.collected())
                    .field("oldestAgeMillis", type.oldestAge().toNanos() / NANOS_PER_MILLI)
                    .endObject();
        }
        json.endArray();
        json.name("oldest").beginArray();
        for (LiveResource resource : runtime.resources().oldest(LIST_LIMIT)) {
            json.beginObject()
                    .field("id", resource.id())
                    .field("type", resource.type())
                    .field("description", resource.description())
                    .field("createdAt", resource.createdAt())
                    .field("ageMillis", resource.age().toNanos() / NANOS_PER_MILLI);
            thread(json, "owner", resource.owner());
            stack(json, "allocationStack", resource.allocationStack());
            json.endObject();
        }
        json.endArray();
        json.name("leaks");
        rendered(json, runtime.resources().leaks(RuntimeJson::leak), newest);
        json.endObject();
    }

    private static String leak(History.Entry<ResourceLeak> entry) {
        ResourceLeak leak = entry.value();
        JsonWriter json = new JsonWriter(ENTRY_LENGTH).beginObject()
                .field("sequence", entry.sequence())
                .field("at", leak.at())
                .field("id", leak.id())
                .field("type", leak.type())
                .field("description", leak.description())
                .field("reason", leak.reason().name())
                .field("ageMillis", leak.age().toNanos() / NANOS_PER_MILLI);
        thread(json, "owner", leak.owner());
        stack(json, "allocationStack", leak.allocationStack());
        return json.endObject().toString();
    }

    private static void locks(JsonWriter json, SondeRuntime runtime) {
        json.name("locks").beginObject();
        json.field("deadlocksDetected", runtime.resources().locks().detectedDeadlocks().size());
        json.name("deadlocks").beginArray();
        for (Deadlock deadlock : runtime.resources().locks().deadlocks()) {
            json.beginObject().field("detectedAt", deadlock.detectedAt());
            json.name("threads").beginArray();
            for (LockedThread thread : deadlock.threads()) {
                lockedThread(json, thread);
            }
            json.endArray().endObject();
        }
        json.endArray();
        json.name("blockedThreads").beginArray();
        for (BlockedThread blocked : runtime.resources().locks().blockedThreads()) {
            json.beginObject().field("blockedForMillis", blocked.blockedFor().toNanos() / NANOS_PER_MILLI);
            json.name("thread");
            lockedThread(json, blocked.thread());
            json.endObject();
        }
        json.endArray().endObject();
    }

    private static void lockedThread(JsonWriter json, LockedThread thread) {
        json.beginObject();
        thread(json, "thread", thread.thread());
        json.field("state", thread.state()).field("waitingFor", thread.waitingFor());
        thread(json, "lockOwner", thread.lockOwner());
        json.field("locksHeld", thread.locksHeld());
        stack(json, "stack", thread.stack());
        json.endObject();
    }

    private static void executors(JsonWriter json, SondeRuntime runtime) {
        json.name("executors").beginArray();
        for (ExecutorStats executor : runtime.tasks().stats()) {
            json.beginObject()
                    .field("name", executor.name())
                    .field("queued", executor.queued())
                    .field("running", executor.running())
                    .field("completed", executor.completed())
                    .field("failed", executor.failed())
                    .field("rejected", executor.rejected());
            window(json, "timeInQueue", executor.timeInQueue());
            json.endObject();
        }
        json.endArray();
    }

    private static void system(JsonWriter json, SystemSnapshot system) {
        json.name("system").beginObject()
                .field("processCpuLoad", system.processCpuLoad())
                .field("systemCpuLoad", system.systemCpuLoad())
                .field("availableProcessors", system.availableProcessors())
                .field("heapUsed", system.heapUsed())
                .field("heapCommitted", system.heapCommitted())
                .field("heapMax", system.heapMax())
                .field("nonHeapUsed", system.nonHeapUsed())
                .field("nonHeapCommitted", system.nonHeapCommitted())
                .field("threadCount", system.threadCount())
                .field("daemonThreadCount", system.daemonThreadCount())
                .field("peakThreadCount", system.peakThreadCount())
                .field("startedThreadCount", system.startedThreadCount());
        json.name("garbageCollectors").beginArray();
        for (GcStats gc : system.garbageCollectors()) {
            json.beginObject().field("name", gc.name()).field("collections", gc.collections())
                    .field("timeMillis", gc.timeMillis()).endObject();
        }
        json.endArray();
        json.name("virtualThreadScheduler");
        system.virtualThreadScheduler().ifPresentOrElse(scheduler -> json.beginObject()
                .field("parallelism", scheduler.parallelism())
                .field("poolSize", scheduler.poolSize())
                .field("mounted", scheduler.mounted())
                .field("queued", scheduler.queued())
                .endObject(), json::nullValue);
        json.endObject();
    }

    private static void recovery(JsonWriter json, SondeRuntime runtime) {
        json.name("recovery").beginArray();
        for (RecoveryStats stats : runtime.recovery().stats()) {
            json.beginObject()
                    .field("name", stats.name())
                    .field("calls", stats.calls())
                    .field("attempts", stats.attempts())
                    .field("succeededFirstTry", stats.succeededFirstTry())
                    .field("recovered", stats.recovered())
                    .field("failedAfterRetries", stats.failedAfterRetries())
                    .field("failedFast", stats.failedFast())
                    .field("fallbacks", stats.fallbacks());
            window(json, "recoveryTime", stats.recoveryTime());
            json.endObject();
        }
        json.endArray();
    }

    private static void kpis(JsonWriter json, SondeRuntime runtime, int newest) {
        json.name("kpis").beginObject();
        json.name("readings").beginArray();
        for (KpiReading reading : runtime.kpis().latest()) {
            json.beginObject()
                    .field("name", reading.kpi().key())
                    .field("unit", reading.kpi().unit())
                    .field("value", reading.value())
                    .field("threshold", reading.threshold())
                    .field("goal", reading.kpi().higherIsBetter() ? "above" : "below")
                    .field("breached", reading.breached())
                    .endObject();
        }
        json.endArray();
        json.name("alerts");
        rendered(json, runtime.kpis().alerts(RuntimeJson::alert), newest);
        json.endObject();
    }

    private static String alert(History.Entry<KpiAlert> entry) {
        KpiAlert alert = entry.value();
        return new JsonWriter(ENTRY_LENGTH).beginObject()
                .field("sequence", entry.sequence())
                .field("name", alert.kpi().key())
                .field("at", alert.at())
                .field("value", alert.value())
                .field("threshold", alert.threshold())
                .endObject().toString();
    }

    private static void window(JsonWriter json, String name, WindowSnapshot window) {
        json.name(name).beginObject()
                .field("windowMillis", window.window().toMillis())
                .field("count", window.count())
                .field("errors", window.errors())
                .field("errorRate", window.errorRate())
                .field("meanMillis", window.meanNanos() / NANOS_PER_MILLI)
                .field("p50Millis", window.p50Nanos() / NANOS_PER_MILLI)
                .field("p99Millis", window.p99Nanos() / NANOS_PER_MILLI)
                .field("maxMillis", window.maxNanos() / NANOS_PER_MILLI)
                .endObject();
    }

    private static void thread(JsonWriter json, String name, ThreadRef thread) {
        json.name(name);
        if (thread == null) {
            json.nullValue();
            return;
        }
        json.beginObject().field("id", thread.id()).field("name", thread.name()).field("virtual", thread.virtual()).endObject();
    }

    private static void stack(JsonWriter json, String name, List<StackTraceElement> stack) {
        if (stack instanceof CapturedStack captured) {
            json.name(name).rawValue(captured.json());
            return;
        }
        json.name(name).beginArray();
        for (StackTraceElement frame : stack) {
            json.value(frame.toString());
        }
        json.endArray();
    }
}
