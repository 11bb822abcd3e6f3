package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.operations.OperationContext;
import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.threads.TaskStacks;

/**
 * A task on its way through a wrapped executor: it carries the submitter's current operation over
 * to the thread that runs it, counts its time in queue, and reports the scopes it leaves open. Its hand-off (where it
 * was submitted, when {@code tasks.captureStacks} recorded it) is current on the running thread while it runs.
 */
final class TrackedTask implements Runnable {

    private final Runnable task;
    private final TaskCounters counters;
    private final Operations operations;
    private final Scopes scopes;
    private final OperationContext operation;
    private final long submittedNanos;
    private final TaskStacks.HandOff handOff;

    TrackedTask(Runnable task, TaskCounters counters, Operations operations, Scopes scopes, TaskStacks.HandOff handOff) {
        this.task = task;
        this.counters = counters;
        this.operations = operations;
        this.scopes = scopes;
        this.operation = operations.capture();
        this.submittedNanos = System.nanoTime();
        this.handOff = handOff;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        counters.timeInQueue.record(start, start - submittedNanos, false);
        counters.started.increment();
        int operationMark = operations.attach(operation);
        int openScopes = scopes.openCount();
        TaskStacks.Running running = handOff == null ? null : TaskStacks.begin(handOff);
        boolean completed = false;
        try {
            task.run();
            completed = true;
        } finally {
            scopes.exitLeakedSince(openScopes, "executor '" + counters.name + "'");
            if (running != null) {
                TaskStacks.end(running);
            }
            operations.detach(operationMark);
            (completed ? counters.completed : counters.failed).increment();
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
