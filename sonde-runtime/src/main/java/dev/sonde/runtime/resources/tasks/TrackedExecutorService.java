package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.threads.TaskStacks;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor service whose tasks Sonde tracks; see {@link TaskExecutors#wrap(String, ExecutorService)}.
 * Every way of submitting work ends in {@link #execute}, which wraps the task.
 */
final class TrackedExecutorService extends AbstractExecutorService {

    private final ExecutorService delegate;
    private final TrackedExecutor tracked;

    TrackedExecutorService(ExecutorService delegate, TaskCounters counters, Operations operations, Scopes scopes, TaskStacks stacks) {
        this.delegate = delegate;
        this.tracked = new TrackedExecutor(delegate, counters, operations, scopes, stacks);
    }

    @Override
    public void execute(Runnable task) {
        tracked.execute(task);
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return delegate.awaitTermination(timeout, unit);
    }
}
