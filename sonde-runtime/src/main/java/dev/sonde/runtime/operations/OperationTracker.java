package dev.sonde.runtime.operations;

import dev.sonde.runtime.stats.SlidingWindow;
import dev.sonde.runtime.threads.TaskStacks;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Tracks the operations of one name and keeps their figures. Get one from {@link Operations#tracker}
 * once and keep it: tracking through it allocates nothing for synchronous work.
 */
public final class OperationTracker {

    private static final int MAX_ERROR_CLASSES = 50;
    private static final String OTHER_ERROR_CLASSES = "(other)";

    private final String name;
    private final String handOffKind;
    private final Operations operations;
    private final SlidingWindow window;
    private final LongAdder started = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final Map<String, LongAdder> failuresByErrorClass = new ConcurrentHashMap<>();

    OperationTracker(String name, Operations operations, Duration window) {
        this.name = name;
        this.handOffKind = "trackAsync(\"" + name + "\")";
        this.operations = operations;
        this.window = new SlidingWindow(window);
    }

    public String name() {
        return name;
    }

    /** Runs the work as one operation and returns its result; an error is recorded and rethrown. */
    public <T> T track(Supplier<T> work) {
        if (!operations.enabled()) {
            return work.get();
        }
        OperationStack stack = operations.stack();
        long start = begin(stack);
        try {
            T result = work.get();
            stack.pop();
            succeeded(start);
            return result;
        } catch (Throwable error) {
            stack.pop();
            ended(start, error);
            throw error;
        }
    }

    /** Like {@link #track(Supplier)} for work that throws checked exceptions. */
    public <T> T call(Callable<T> work) throws Exception {
        if (!operations.enabled()) {
            return work.call();
        }
        OperationStack stack = operations.stack();
        long start = begin(stack);
        try {
            T result = work.call();
            stack.pop();
            succeeded(start);
            return result;
        } catch (Throwable error) {
            stack.pop();
            ended(start, error);
            throw error;
        }
    }

    /** Like {@link #track(Supplier)} for work without a result. */
    public void run(Runnable work) {
        if (!operations.enabled()) {
            work.run();
            return;
        }
        OperationStack stack = operations.stack();
        long start = begin(stack);
        try {
            work.run();
            stack.pop();
            succeeded(start);
        } catch (Throwable error) {
            stack.pop();
            ended(start, error);
            throw error;
        }
    }

    /**
     * Tracks asynchronous work: the operation starts now and ends when the stage completes. Code the
     * work runs (and tasks it submits to executors that Sonde wraps) sees this operation as current.
     * Cancelling the returned future cancels the work's future too. With {@code tasks.captureStacks} on, the caller's
     * frames are recorded as a hand-off that those tasks' hand-offs chain to.
     */
    public <T> CompletableFuture<T> trackAsync(Supplier<? extends CompletionStage<T>> work) {
        return trackAsync(work, null);
    }

    /** Like {@link #trackAsync(Supplier)}, ending the operation as TIMED_OUT if it takes longer than {@code timeout}. */
    public <T> CompletableFuture<T> trackAsync(Supplier<? extends CompletionStage<T>> work, Duration timeout) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (timeout != null) {
            result.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!operations.enabled()) {
            try {
                forward(work.get(), result);
            } catch (Throwable error) {
                result.completeExceptionally(error);
            }
            return result;
        }
        OperationStack stack = operations.stack();
        long start = begin(stack);
        Object inFlight = operations.asyncStarted(name, start);
        TaskStacks.HandOff handOff = operations.taskStacks().capture(handOffKind);
        TaskStacks.HandOff enclosing = handOff == null ? null : TaskStacks.enter(handOff);
        CompletionStage<T> stage;
        try {
            stage = work.get();
        } catch (Throwable error) {
            result.completeExceptionally(error);
            stage = result;
        } finally {
            if (handOff != null) {
                TaskStacks.leave(enclosing);
            }
            stack.pop();
        }
        CompletionStage<T> source = stage;
        result.whenComplete((value, error) -> {
            operations.asyncEnded(inFlight);
            if (error == null) {
                succeeded(start);
            } else {
                ended(start, error);
                cancelQuietly(source);
            }
        });
        if (source != result) {
            forward(source, result);
        }
        return result;
    }

    private long begin(OperationStack stack) {
        long start = System.nanoTime();
        started.increment();
        stack.push(this, start);
        return start;
    }

    private void succeeded(long start) {
        long end = System.nanoTime();
        succeeded.increment();
        window.record(end, end - start, false);
    }

    private void ended(long start, Throwable error) {
        long end = System.nanoTime();
        Outcome outcome = Outcome.of(error);
        switch (outcome) {
            case CANCELLED:
                cancelled.increment();
                break;
            case TIMED_OUT:
                timedOut.increment();
                break;
            default:
                failed.increment();
                countErrorClass(Outcome.unwrap(error).getClass().getName());
        }
        window.record(end, end - start, outcome.isError());
        operations.ended(this, outcome, error, Duration.ofNanos(end - start));
    }

    private void countErrorClass(String errorClass) {
        LongAdder count = failuresByErrorClass.get(errorClass);
        if (count == null) {
            String key = failuresByErrorClass.size() < MAX_ERROR_CLASSES ? errorClass : OTHER_ERROR_CLASSES;
            count = failuresByErrorClass.computeIfAbsent(key, k -> new LongAdder());
        }
        count.increment();
    }

    private static <T> void forward(CompletionStage<T> source, CompletableFuture<T> target) {
        source.whenComplete((value, error) -> {
            if (error == null) {
                target.complete(value);
            } else {
                target.completeExceptionally(error);
            }
        });
    }

    private static void cancelQuietly(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notAFuture) {
            // a stage that cannot be cancelled runs to its end
        }
    }

    void resizeWindow(Duration length) {
        window.resize(length);
    }

    SlidingWindow window() {
        return window;
    }

    /** Operations of this name not ended yet. */
    public long inFlight() {
        return Math.max(0, started.sum() - succeeded.sum() - failed.sum() - cancelled.sum() - timedOut.sum());
    }

    /** Operations of this name that ended with the outcome, since start. */
    public long count(Outcome outcome) {
        switch (outcome) {
            case SUCCEEDED:
                return succeeded.sum();
            case FAILED:
                return failed.sum();
            case CANCELLED:
                return cancelled.sum();
            default:
                return timedOut.sum();
        }
    }

    public OperationStats stats() {
        long succeededCount = succeeded.sum();
        long failedCount = failed.sum();
        long cancelledCount = cancelled.sum();
        long timedOutCount = timedOut.sum();
        long startedCount = started.sum();
        long inFlight = Math.max(0, startedCount - succeededCount - failedCount - cancelledCount - timedOutCount);
        Map<String, Long> byClass = new TreeMap<>();
        failuresByErrorClass.forEach((errorClass, count) -> byClass.put(errorClass, count.sum()));
        return new OperationStats(name, startedCount, inFlight, succeededCount, failedCount, cancelledCount,
                timedOutCount, byClass, window.snapshot());
    }

    @Override
    public String toString() {
        return "OperationTracker[" + name + "]";
    }
}
