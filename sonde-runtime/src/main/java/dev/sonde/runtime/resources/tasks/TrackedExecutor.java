package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.threads.TaskStacks;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** An executor whose tasks Sonde tracks; see {@link TaskExecutors#wrap(String, Executor)}. */
class TrackedExecutor implements Executor {

    private final Executor delegate;
    private final TaskCounters counters;
    private final Operations operations;
    private final Scopes scopes;
    private final TaskStacks stacks;

    TrackedExecutor(Executor delegate, TaskCounters counters, Operations operations, Scopes scopes, TaskStacks stacks) {
        this.delegate = delegate;
        this.counters = counters;
        this.operations = operations;
        this.scopes = scopes;
        this.stacks = stacks;
    }

    @Override
    public void execute(Runnable task) {
        TrackedTask tracked = new TrackedTask(task, counters, operations, scopes, stacks.capture("execute"));
        counters.submitted.increment();
        try {
            delegate.execute(tracked);
        } catch (RejectedExecutionException rejected) {
            counters.submitted.decrement();
            counters.rejected.increment();
            throw rejected;
        }
    }
}
