package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.stats.SlidingWindow;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one wrapped executor. */
final class TaskCounters {

    final String name;
    final LongAdder submitted = new LongAdder();
    final LongAdder started = new LongAdder();
    final LongAdder completed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final SlidingWindow timeInQueue;

    TaskCounters(String name, Duration window) {
        this.name = name;
        this.timeInQueue = new SlidingWindow(window);
    }

    ExecutorStats stats() {
        long startedCount = started.sum();
        long ended = completed.sum() + failed.sum();
        return new ExecutorStats(name, Math.max(0, submitted.sum() - startedCount), Math.max(0, startedCount - ended),
                completed.sum(), failed.sum(), rejected.sum(), timeInQueue.snapshot());
    }
}
