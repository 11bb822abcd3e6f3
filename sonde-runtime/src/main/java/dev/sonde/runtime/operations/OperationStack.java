package dev.sonde.runtime.operations;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The operations the current thread runs in, innermost last, in parallel arrays so that entering and
 * leaving one allocates nothing. A slot holds either an operation started here (tracker and start
 * time) or one carried over from another thread (its context).
 */
final class OperationStack {

    private final ThreadRef thread;
    private OperationTracker[] trackers = new OperationTracker[8];
    private long[] startNanos = new long[8];
    private OperationContext[] carried = new OperationContext[8];
    private int depth;

    OperationStack(Thread thread) {
        this.thread = ThreadRef.of(thread);
    }

    int depth() {
        return depth;
    }

    void push(OperationTracker tracker, long start) {
        if (depth == trackers.length) {
            grow();
        }
        trackers[depth] = tracker;
        startNanos[depth] = start;
        depth++;
    }

    void pushCarried(OperationContext context) {
        if (depth == trackers.length) {
            grow();
        }
        trackers[depth] = null;
        carried[depth] = context;
        depth++;
    }

    void pop() {
        carried[--depth] = null;
    }

    void popTo(int mark) {
        while (depth > mark) {
            pop();
        }
    }

    /** The innermost operation, or null. */
    OperationContext current() {
        if (depth == 0) {
            return null;
        }
        int top = depth - 1;
        if (carried[top] != null) {
            return carried[top];
        }
        Duration age = Duration.ofNanos(System.nanoTime() - startNanos[top]);
        return new OperationContext(trackers[top].name(), Instant.now().minus(age), thread);
    }

    private void grow() {
        int size = trackers.length * 2;
        trackers = Arrays.copyOf(trackers, size);
        startNanos = Arrays.copyOf(startNanos, size);
        carried = Arrays.copyOf(carried, size);
    }
}
