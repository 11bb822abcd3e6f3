package dev.sonde.runtime.operations;

import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.stats.History;
import dev.sonde.runtime.stats.SlidingWindow;
import dev.sonde.runtime.stats.WindowSnapshot;
import dev.sonde.runtime.threads.TaskStacks;
import dev.sonde.runtime.threads.ThreadRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Named operations, synchronous and asynchronous: how many, how they ended, how long they took,
 * which are in flight, and which one the current code runs in.
 *
 * <pre>{@code
 * Order order = operations.track("orders.load", () -> repository.load(id));
 * CompletableFuture<Quote> quote = operations.trackAsync("quotes.fetch", () -> client.fetch(id));
 * }</pre>
 */
public final class Operations {

    /** The name that operations share once {@code operations.maxNames} names exist. */
    public static final String OVERFLOW_NAME = "(other)";

    private static final int NOTHING_ATTACHED = -1;

    private final RuntimeSettings settings;
    private final Scopes scopes;
    private final Map<String, OperationTracker> trackers = new ConcurrentHashMap<>();
    private final Set<AsyncOperation> asyncInFlight = ConcurrentHashMap.newKeySet();
    private final List<Consumer<OperationTracker>> trackerListeners = new CopyOnWriteArrayList<>();
    private final History<OperationFailure> recentFailures;
    private final TaskStacks taskStacks;
    private final ThreadLocal<OperationStack> stacks = ThreadLocal.withInitial(() -> new OperationStack(Thread.currentThread()));
    private volatile boolean enabled;

    public Operations(RuntimeSettings settings, Scopes scopes) {
        this.settings = settings;
        this.scopes = scopes;
        this.taskStacks = new TaskStacks(settings);
        this.recentFailures = new History<>(() -> settings.get(Setting.HISTORY_SIZE));
        this.enabled = settings.get(Setting.OPERATIONS_ENABLED);
        settings.onChange(changed -> {
            enabled = changed.get(Setting.OPERATIONS_ENABLED);
            Duration window = changed.get(Setting.OPERATIONS_WINDOW);
            for (OperationTracker tracker : trackers.values()) {
                if (!tracker.window().window().equals(window)) {
                    tracker.resizeWindow(window);
                }
            }
        });
    }

    /** The tracker of the named operations, created on first use. */
    public OperationTracker tracker(String name) {
        OperationTracker tracker = trackers.get(name);
        if (tracker != null) {
            return tracker;
        }
        String key = trackers.size() < settings.get(Setting.OPERATIONS_MAX_NAMES) ? name : OVERFLOW_NAME;
        boolean[] created = new boolean[1];
        tracker = trackers.computeIfAbsent(key, k -> {
            created[0] = true;
            return new OperationTracker(k, this, settings.get(Setting.OPERATIONS_WINDOW));
        });
        if (created[0]) {
            for (Consumer<OperationTracker> listener : trackerListeners) {
                listener.accept(tracker);
            }
        }
        return tracker;
    }

    public <T> T track(String name, Supplier<T> work) {
        return tracker(name).track(work);
    }

    public <T> T call(String name, Callable<T> work) throws Exception {
        return tracker(name).call(work);
    }

    public void run(String name, Runnable work) {
        tracker(name).run(work);
    }

    public <T> CompletableFuture<T> trackAsync(String name, Supplier<? extends CompletionStage<T>> work) {
        return tracker(name).trackAsync(work);
    }

    public <T> CompletableFuture<T> trackAsync(String name, Supplier<? extends CompletionStage<T>> work, Duration timeout) {
        return tracker(name).trackAsync(work, timeout);
    }

    /** The operation the current code runs in, if any. */
    public Optional<OperationContext> current() {
        return Optional.ofNullable(stacks.get().current());
    }

    /**
     * The current operation, to carry to another thread with {@link #attach}; null when there is none.
     * Executors that Sonde wraps do this for every task.
     */
    public OperationContext capture() {
        return enabled ? stacks.get().current() : null;
    }

    /**
     * Makes a captured operation current on this thread; returns the mark to give to {@link #detach}.
     * Attaching null (nothing was current) does nothing.
     */
    public int attach(OperationContext context) {
        if (context == null) {
            return NOTHING_ATTACHED;
        }
        OperationStack stack = stacks.get();
        int mark = stack.depth();
        stack.pushCarried(context);
        return mark;
    }

    /** Undoes {@link #attach}. */
    public void detach(int mark) {
        if (mark != NOTHING_ATTACHED) {
            stacks.get().popTo(mark);
        }
    }

    /** Calls the listener for every tracker created from now on (the Micrometer binder uses it). */
    public void onNewTracker(Consumer<OperationTracker> listener) {
        trackerListeners.add(listener);
    }

    public List<OperationTracker> trackers() {
        List<OperationTracker> all = new ArrayList<>(trackers.values());
        all.sort(Comparator.comparing(OperationTracker::name));
        return all;
    }

    public List<OperationStats> stats() {
        List<OperationStats> all = new ArrayList<>();
        for (OperationTracker tracker : trackers()) {
            all.add(tracker.stats());
        }
        return all;
    }

    /** Operations in flight, of every name. */
    public long inFlight() {
        long total = 0;
        for (OperationTracker tracker : trackers.values()) {
            total += tracker.inFlight();
        }
        return total;
    }

    /** Asynchronous operations not ended yet, oldest first. */
    public List<InFlightOperation> asyncInFlight(int limit) {
        long now = System.nanoTime();
        List<InFlightOperation> all = new ArrayList<>();
        for (AsyncOperation operation : asyncInFlight) {
            all.add(new InFlightOperation(operation.name, operation.startedAt, Duration.ofNanos(now - operation.startNanos),
                    operation.startedOn));
        }
        all.sort(Comparator.comparing(InFlightOperation::age).reversed());
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /** The most recent operations that failed, were cancelled or timed out, oldest first. */
    public List<History.Entry<OperationFailure>> recentFailures() {
        return recentFailures.entries();
    }

    /** The same, each entry rendered once and kept: see {@link History#rendered}. */
    public List<String> recentFailures(Function<History.Entry<OperationFailure>, String> rendering) {
        return recentFailures.rendered(rendering);
    }

    /** All operations' windows merged: the window's count, errors and durations across names. */
    public WindowSnapshot combinedWindow() {
        List<SlidingWindow> windows = new ArrayList<>();
        trackers.values().forEach(tracker -> windows.add(tracker.window()));
        return SlidingWindow.merge(windows, settings.get(Setting.OPERATIONS_WINDOW));
    }

    boolean enabled() {
        return enabled;
    }

    TaskStacks taskStacks() {
        return taskStacks;
    }

    OperationStack stack() {
        return stacks.get();
    }

    Object asyncStarted(String name, long startNanos) {
        AsyncOperation operation = new AsyncOperation(name, Instant.now(), startNanos, ThreadRef.current());
        asyncInFlight.add(operation);
        return operation;
    }

    void asyncEnded(Object operation) {
        asyncInFlight.remove(operation);
    }

    void ended(OperationTracker tracker, Outcome outcome, Throwable error, Duration duration) {
        Throwable cause = Outcome.unwrap(error);
        scopes.recordJdkError(tracker.name(), cause);
        recentFailures.add(new OperationFailure(Instant.now(), tracker.name(), outcome, cause.getClass().getName(),
                cause.getMessage(), duration, ThreadRef.current()));
    }

    /** An asynchronous operation in flight; compared by identity, as two may share name and start. */
    private static final class AsyncOperation {
        final String name;
        final Instant startedAt;
        final long startNanos;
        final ThreadRef startedOn;

        AsyncOperation(String name, Instant startedAt, long startNanos, ThreadRef startedOn) {
            this.name = name;
            this.startedAt = startedAt;
            this.startNanos = startNanos;
            this.startedOn = startedOn;
        }
    }
}
