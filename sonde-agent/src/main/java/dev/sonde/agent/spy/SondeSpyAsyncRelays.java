package dev.sonde.agent.spy;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parent of a stage that depends on {@code allOf}/{@code anyOf}, where one is clear: the input that completed the
 * combined future (for {@code anyOf} the first to complete; for {@code allOf} the last, the one still pending when all the
 * others were done). The JDK completes the combined future through a relay completion on the thread that completed that
 * input; the capture current there is remembered for the combined future ({@link #allOf}, {@link #anyOf}), and a stage
 * that runs because the combined future completed chains to it ({@link #join}): its own hand-off first (where it was
 * registered), then the completing input's.
 *
 * <p>On the boot class path with {@link SondeSpyAsync} (its name starts with {@code SondeSpy}); a table of its own, held
 * weakly by the combined future, so it stays apart from the task table.
 */
public final class SondeSpyAsyncRelays {

    private static final ConcurrentHashMap<Object, SondeSpyAsync.Capture> COMPLETED_BY = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();

    private SondeSpyAsyncRelays() {
    }

    /** An {@code allOf} relay about to run: it completes {@code dependent} when both its inputs are done. */
    public static void allOf(Object dependent, Object first, Object second) {
        if (SondeSpyAsync.enabled() && done(first) && done(second)) {
            remember(dependent);
        }
    }

    /** An {@code anyOf} relay about to run: it completes {@code dependent} with the first of its inputs done. */
    public static void anyOf(Object dependent, Object first, Object second) {
        if (SondeSpyAsync.enabled() && (done(first) || second != null && done(second))) {
            remember(dependent);
        }
    }

    /**
     * A stage beginning to run (its capture, if it has one, just made current) whose input is {@code source}: when
     * {@code source} is a combined future with a clear parent, the stage's capture chains to that parent.
     */
    public static void join(Object stage, Object source) {
        if (source == null || COMPLETED_BY.isEmpty()) {
            return;
        }
        try {
            SondeSpyAsync.Capture parent = COMPLETED_BY.get(new SondeSpyWeakKey.Lookup(source));
            if (parent != null) {
                SondeSpyAsync.joined(stage, parent);
            }
        } catch (Throwable e) {
            // best effort, as every capture: the application's work goes on
        }
    }

    /** Entries kept (after dropping those whose future is gone); for tests. */
    public static int tableSize() {
        drain();
        return COMPLETED_BY.size();
    }

    /** Whether an input is done; false for what cannot say (a minimal stage throws from {@code isDone}). */
    private static boolean done(Object future) {
        try {
            return future instanceof CompletableFuture<?> stage && stage.isDone();
        } catch (Throwable e) {
            return false;
        }
    }

    /** The capture current on this thread, for a combined future not yet done: the input completing it runs here. */
    private static void remember(Object dependent) {
        try {
            if (!(dependent instanceof CompletableFuture<?> combined) || combined.isDone()) {
                return;
            }
            SondeSpyAsync.Capture current = SondeSpyAsync.current();
            if (current != null) {
                drain();
                // the first relay to get here completes the combined future; a relay racing it on another thread loses
                COMPLETED_BY.putIfAbsent(new SondeSpyWeakKey(dependent, GONE), current);
            }
        } catch (Throwable e) {
            // best effort
        }
    }

    private static void drain() {
        java.lang.ref.Reference<?> gone;
        while ((gone = GONE.poll()) != null) {
            COMPLETED_BY.remove(gone);
        }
    }
}
