package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.threads.TaskStacks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * Wraps executors (platform thread pools, virtual-thread-per-task executors, anything) so that their
 * tasks run in the submitter's current operation, report scopes they leave open, and are counted:
 * queued, running, completed, failed, rejected and time in queue. With {@code tasks.captureStacks} on, each task also
 * records where it was submitted, for the debugger's async stacks (see {@link TaskStacks}).
 *
 * <pre>{@code
 * ExecutorService io = tasks.wrap("io", Executors.newVirtualThreadPerTaskExecutor());
 * }</pre>
 *
 * Wrapping twice under one name shares the counters.
 */
public final class TaskExecutors {

    private final RuntimeSettings settings;
    private final Operations operations;
    private final Scopes scopes;
    private final TaskStacks stacks;
    private final Map<String, TaskCounters> counters = new ConcurrentHashMap<>();

    public TaskExecutors(RuntimeSettings settings, Operations operations, Scopes scopes) {
        this.settings = settings;
        this.operations = operations;
        this.scopes = scopes;
        this.stacks = new TaskStacks(settings);
        settings.onChange(changed -> counters.values().forEach(c -> {
            if (!c.timeInQueue.window().equals(changed.get(Setting.OPERATIONS_WINDOW))) {
                c.timeInQueue.resize(changed.get(Setting.OPERATIONS_WINDOW));
            }
        }));
    }

    public ExecutorService wrap(String name, ExecutorService executor) {
        return new TrackedExecutorService(executor, counters(name), operations, scopes, stacks);
    }

    public Executor wrap(String name, Executor executor) {
        return new TrackedExecutor(executor, counters(name), operations, scopes, stacks);
    }

    public List<ExecutorStats> stats() {
        List<ExecutorStats> stats = new ArrayList<>();
        new TreeMap<>(counters).values().forEach(c -> stats.add(c.stats()));
        return stats;
    }

    private TaskCounters counters(String name) {
        return counters.computeIfAbsent(name, n -> new TaskCounters(n, settings.get(Setting.OPERATIONS_WINDOW)));
    }
}
