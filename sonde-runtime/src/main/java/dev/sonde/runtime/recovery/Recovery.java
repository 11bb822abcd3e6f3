package dev.sonde.runtime.recovery;

import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.stats.SlidingWindow;
import dev.sonde.runtime.stats.WindowSnapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Recovery policies by name and their figures: attempts, recovered calls, calls that failed after
 * retries, and recovery time. Policies of the same name share their figures.
 */
public final class Recovery implements AutoCloseable {

    private final RuntimeSettings settings;
    private final Map<String, RecoveryCounters> counters = new ConcurrentHashMap<>();
    private final Map<String, RecoveryPolicy<Object>> defaultPolicies = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    public Recovery(RuntimeSettings settings) {
        this.settings = settings;
        settings.onChange(changed -> counters.values().forEach(c -> {
            if (!c.recoveryTime.window().equals(changed.get(Setting.OPERATIONS_WINDOW))) {
                c.recoveryTime.resize(changed.get(Setting.OPERATIONS_WINDOW));
            }
        }));
    }

    /** Starts a policy of the given name; see {@link RecoveryPolicy}. */
    public <T> RecoveryPolicy.Builder<T> policy(String name) {
        return RecoveryPolicy.builder(name, settings, counters(name), this::scheduler);
    }

    /** Runs the work with the default policy of the given name: TRANSIENT errors retried, others fail fast. */
    @SuppressWarnings("unchecked")
    public <T> T call(String name, Callable<T> work) throws Exception {
        RecoveryPolicy<Object> policy = defaultPolicies.computeIfAbsent(name, n -> this.<Object>policy(n).build());
        return (T) policy.call(work);
    }

    public List<RecoveryStats> stats() {
        List<RecoveryStats> stats = new ArrayList<>();
        new TreeMap<>(counters).values().forEach(c -> stats.add(c.stats()));
        return stats;
    }

    /** Recovery time of all policies merged, over the operations window. */
    public WindowSnapshot combinedRecoveryTime() {
        List<SlidingWindow> windows = new ArrayList<>();
        counters.values().forEach(c -> windows.add(c.recoveryTime));
        return SlidingWindow.merge(windows, settings.get(Setting.OPERATIONS_WINDOW));
    }

    private RecoveryCounters counters(String name) {
        return counters.computeIfAbsent(name, n -> new RecoveryCounters(n, settings.get(Setting.OPERATIONS_WINDOW)));
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "sonde-runtime-retry");
                thread.setDaemon(true);
                return thread;
            });
        }
        return scheduler;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
