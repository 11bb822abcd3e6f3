package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.scopes.Scopes;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** An executor whose tasks Sonde tracks; see {@link TaskExecutors#wrap(String, Executor)}. */
class TrackedExecutor implements Executor {

    private final Executor delegate;
    private final TaskCounters counters;
    private final Operations operations;
    private final Scopes scopes;

    TrackedExecutor(Executor delegate, TaskCounters counters, Operations operations, Scopes scopes) {
        this.delegate = delegate;
        this.counters = counters;
        this.operations = operations;
        this.scopes = scopes;
    }

    @Override
    public void execute(Runnable task) {
        TrackedTask tracked = new TrackedTask(task, counters, operations, scopes);
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
