package dev.sonde.runtime.resources;

import dev.sonde.runtime.resources.locks.LockMonitor;
import dev.sonde.runtime.resources.system.SystemMetrics;
import dev.sonde.runtime.resources.tasks.TaskExecutors;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.settings.Settings;
import dev.sonde.runtime.stats.History;
import dev.sonde.runtime.threads.RuntimeCleaner;
import dev.sonde.runtime.threads.StackCapture;
import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Resources the service opens and must close (sessions, connections, anything with a close): how
 * many of each type are open, how old, on which thread they were opened, and which leaked. Also the
 * way to the lock monitor, the wrapped executors and the system figures.
 *
 * <pre>{@code
 * ResourceHandle handle = resources.register("session", session);
 * ...
 * handle.close();   // in session.close()
 * }</pre>
 */
public final class Resources {

    private static final Set<String> INTERNAL = Set.of(Resources.class.getName());

    private final RuntimeSettings settings;
    private final Map<Long, ResourceHandle> live = new ConcurrentHashMap<>();
    private final Map<String, TypeCounters> countersByType = new ConcurrentHashMap<>();
    private final History<ResourceLeak> leaks;
    private final AtomicLong ids = new AtomicLong();
    private final LockMonitor locks;
    private final TaskExecutors tasks;
    private final SystemMetrics system = new SystemMetrics();

    public Resources(RuntimeSettings settings, TaskExecutors tasks) {
        this.settings = settings;
        this.tasks = tasks;
        this.leaks = new History<>(() -> settings.get(Setting.HISTORY_SIZE));
        this.locks = new LockMonitor(settings);
    }

    /** Starts tracking a resource; close the returned handle when the resource is closed. */
    public ResourceHandle register(String type, Object resource) {
        Objects.requireNonNull(resource, "Register the resource object itself; it was null.");
        Settings current = settings.current();
        List<StackTraceElement> allocationStack = current.get(Setting.RESOURCES_ALLOCATION_STACKS)
                .shouldCapture(current.get(Setting.STACKS_SAMPLING_INTERVAL))
                ? StackCapture.callerStack(INTERNAL, current.get(Setting.STACKS_MAX_DEPTH))
                : List.of();
        String description = resource.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(resource));
        ResourceHandle handle = new ResourceHandle(ids.incrementAndGet(), type, description, ThreadRef.current(),
                allocationStack, this);
        counters(type).opened.increment();
        live.put(handle.id(), handle);
        handle.watch(RuntimeCleaner.register(resource, handle::collected));
        return handle;
    }

    void ended(ResourceHandle handle, int how) {
        live.remove(handle.id());
        TypeCounters counters = counters(handle.type());
        switch (how) {
            case ResourceHandle.CLOSED:
                counters.closed.increment();
                break;
            case ResourceHandle.FAILED:
                counters.failed.increment();
                break;
            default:
                counters.collected.increment();
                leaks.add(handle.toLeak(LeakReason.COLLECTED_WITHOUT_CLOSE));
        }
    }

    /** Reports, once each, the open resources older than {@code resources.leakAge}; returns how many were new. */
    public int reportOldResources() {
        Duration threshold = settings.get(Setting.RESOURCES_LEAK_AGE);
        int reported = 0;
        for (ResourceHandle handle : live.values()) {
            if (handle.isOpen() && handle.age().compareTo(threshold) >= 0 && handle.markReportedOld()) {
                leaks.add(handle.toLeak(LeakReason.OLDER_THAN_THRESHOLD));
                reported++;
            }
        }
        return reported;
    }

    public List<ResourceTypeStats> byType() {
        // Per type: {live count, registration time of the oldest}; ages come from one clock reading.
        Map<String, long[]> liveByType = new HashMap<>();
        for (ResourceHandle handle : live.values()) {
            long[] figures = liveByType.computeIfAbsent(handle.type(), type -> new long[] {0, Long.MAX_VALUE});
            figures[0]++;
            figures[1] = Math.min(figures[1], handle.createdNanos());
        }
        long now = System.nanoTime();
        List<ResourceTypeStats> stats = new ArrayList<>();
        new TreeMap<>(countersByType).forEach((type, counters) -> {
            long[] figures = liveByType.get(type);
            stats.add(new ResourceTypeStats(type, figures == null ? 0 : figures[0], counters.opened.sum(),
                    counters.closed.sum(), counters.failed.sum(), counters.collected.sum(),
                    figures == null ? Duration.ZERO : Duration.ofNanos(now - figures[1])));
        });
        return stats;
    }

    /** Open resources, oldest first. */
    public List<LiveResource> oldest(int limit) {
        List<ResourceHandle> handles = new ArrayList<>(live.values());
        handles.sort(Comparator.comparingLong(ResourceHandle::createdNanos));
        List<LiveResource> oldest = new ArrayList<>(Math.min(limit, handles.size()));
        for (ResourceHandle handle : handles.subList(0, Math.min(limit, handles.size()))) {
            oldest.add(handle.toLive());
        }
        return oldest;
    }

    /** The most recent leak reports, oldest first. */
    public List<History.Entry<ResourceLeak>> leaks() {
        return leaks.entries();
    }

    /** The same, each entry rendered once and kept: see {@link History#rendered}. */
    public List<String> leaks(Function<History.Entry<ResourceLeak>, String> rendering) {
        return leaks.rendered(rendering);
    }

    public LockMonitor locks() {
        return locks;
    }

    public TaskExecutors tasks() {
        return tasks;
    }

    public SystemMetrics system() {
        return system;
    }

    private TypeCounters counters(String type) {
        return countersByType.computeIfAbsent(type, t -> new TypeCounters());
    }

    private static final class TypeCounters {
        final LongAdder opened = new LongAdder();
        final LongAdder closed = new LongAdder();
        final LongAdder failed = new LongAdder();
        final LongAdder collected = new LongAdder();
    }
}
