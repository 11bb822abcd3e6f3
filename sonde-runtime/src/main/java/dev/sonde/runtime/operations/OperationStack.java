package dev.sonde.runtime.operations;

import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * The operations the current thread runs in, innermost last, in parallel arrays so that entering and
 * leaving one allocates nothing. A slot holds either an operation started here (tracker, start time
 * and number) or one carried over from another thread (its context).
 *
 * <p>Sonde's debugger reads these fields at a stop (JDWP field reads, no code run in the target): keep
 * their names and types, or change {@code dev.sonde.jdi.operations.OperationReader} with them.
 */
final class OperationStack {

    /** Both clocks at one moment: the debugger turns a slot's {@code startNanos} into wall time with them. */
    static final long CLOCK_NANOS = System.nanoTime();
    static final long CLOCK_MILLIS = System.currentTimeMillis();

    private final ThreadRef thread;
    private OperationTracker[] trackers = new OperationTracker[8];
    private long[] startNanos = new long[8];
    private long[] sequences = new long[8];
    private OperationContext[] carried = new OperationContext[8];
    private int depth;
    /** Operations started on this thread so far: numbers them without a shared counter. */
    private long started;

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
        sequences[depth] = ++started;
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
        return new OperationContext(trackers[top].name(), Instant.now().minus(age), thread, sequences[top]);
    }

    private void grow() {
        int size = trackers.length * 2;
        trackers = Arrays.copyOf(trackers, size);
        startNanos = Arrays.copyOf(startNanos, size);
        sequences = Arrays.copyOf(sequences, size);
        carried = Arrays.copyOf(carried, size);
    }
}
