package dev.sonde.runtime.scopes;

import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.ScopeMode;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.settings.Settings;
import dev.sonde.runtime.stats.History;
import dev.sonde.runtime.threads.CapturedStack;
import dev.sonde.runtime.threads.RuntimeCleaner;
import dev.sonde.runtime.threads.StackCapture;
import dev.sonde.runtime.threads.ThreadRef;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Scopes with an owner thread, and the misuse of them: exits on another thread, out of order or
 * twice, and scopes never exited.
 *
 * <pre>{@code
 * try (Scope scope = scopes.enter("checkout")) {
 *     ...
 * }
 * }</pre>
 *
 * Leaks are found when a task run by an executor that Sonde wraps ends with scopes it entered still
 * open, and when a thread ends with scopes open (its scope stack is then garbage collected and a
 * cleaner reports what was left).
 */
public final class Scopes {

    private static final Set<String> INTERNAL = Set.of(Scopes.class.getName(), Scope.class.getName(),
            ScopeStack.class.getName(), ScopedCloseable.class.getName());

    private final RuntimeSettings settings;
    private final LongAdder entered = new LongAdder();
    private final AtomicLongArray violationsByKind = new AtomicLongArray(ViolationKind.values().length);
    private final History<ScopeViolation> recent;
    /** Empty until the thread first enters a scope, so that threads which never do cost nothing. */
    private final ThreadLocal<StackHolder> stacks = new ThreadLocal<>();

    public Scopes(RuntimeSettings settings) {
        this.settings = settings;
        this.recent = new History<>(() -> settings.get(Setting.HISTORY_SIZE));
    }

    /** Enters a scope owned by the current thread. */
    public Scope enter(String name) {
        Settings current = settings.current();
        ScopeMode mode = current.get(Setting.SCOPES_MODE);
        if (mode == ScopeMode.OFF) {
            return Scope.UNTRACKED;
        }
        entered.increment();
        StackCapture capture = current.get(Setting.SCOPES_ENTRY_STACKS);
        if (capture == StackCapture.OFF) {
            return stack().push(name, List.of(), mode == ScopeMode.REPORT);
        }
        return stack().push(name, entryStack(current, capture), false);
    }

    /** Enters a scope that closes the given object when it is exited. */
    public <C extends AutoCloseable> ScopedCloseable<C> enter(String name, C closeable) {
        Settings current = settings.current();
        if (current.get(Setting.SCOPES_MODE) == ScopeMode.OFF) {
            return new ScopedCloseable<>(Scope.UNTRACKED, closeable);
        }
        entered.increment();
        List<StackTraceElement> entryStack = entryStack(current, current.get(Setting.SCOPES_ENTRY_STACKS));
        return new ScopedCloseable<>(stack().push(name, entryStack, false), closeable);
    }

    private static List<StackTraceElement> entryStack(Settings current, StackCapture capture) {
        return capture.shouldCapture(current.get(Setting.STACKS_SAMPLING_INTERVAL))
                ? StackCapture.callerStack(INTERNAL, current.get(Setting.STACKS_MAX_DEPTH)) : List.of();
    }

    void exit(Scope scope) {
        ScopeStack stack = scope.stack;
        if (stack.ownedByCurrentThread()) {
            if (!stack.popIfTop(scope)) {
                exitOutOfLine(stack, scope);
            }
        } else {
            exitOnOtherThread(stack, scope);
        }
    }

    private void exitOutOfLine(ScopeStack stack, Scope scope) {
        int index = stack.indexOf(scope);
        if (!scope.isOpen() || index < 0) {
            report(new ScopeViolation.DoubleExit(Instant.now(), scope.name(), stack.owner, stack.owner, scope.entryStack()));
            return;
        }
        report(new ScopeViolation.OutOfOrderExit(Instant.now(), scope.name(), stack.owner, stack.innermost().name(),
                scope.entryStack()));
        if (scope.markExited()) {
            stack.remove(index);
        }
    }

    private void exitOnOtherThread(ScopeStack stack, Scope scope) {
        ThreadRef here = ThreadRef.current();
        if (!scope.isOpen()) {
            report(new ScopeViolation.DoubleExit(Instant.now(), scope.name(), stack.owner, here, scope.entryStack()));
            return;
        }
        report(new ScopeViolation.WrongThreadExit(Instant.now(), scope.name(), stack.owner, here, scope.entryStack()));
        // The owner drops the scope from its stack when it next finds it on top.
        scope.markExited();
    }

    /** Records the violation unless scopes are OFF, and refuses the misuse by throwing in STRICT mode. */
    private void report(ScopeViolation violation) {
        ScopeMode mode = settings.get(Setting.SCOPES_MODE);
        if (mode == ScopeMode.OFF) {
            return;
        }
        record(violation);
        if (mode == ScopeMode.STRICT) {
            throw new ScopeViolationException(violation);
        }
    }

    private void record(ScopeViolation violation) {
        violationsByKind.incrementAndGet(violation.kind().ordinal());
        recent.add(violation);
    }

    /**
     * How many scopes the current thread has open: an executor notes it before a task and passes it
     * to {@link #exitLeakedSince} after.
     */
    public int openCount() {
        StackHolder holder = stacks.get();
        return holder == null ? 0 : holder.stack.depth();
    }

    /** Exits and reports as leaked the scopes the current thread entered since {@code openCount} was taken. */
    public void exitLeakedSince(int openCount, String where) {
        StackHolder holder = stacks.get();
        if (holder == null) {
            return;
        }
        ScopeStack stack = holder.stack;
        stack.exitAbove(openCount, scope -> record(new ScopeViolation.LeakedScope(Instant.now(), scope.name(), stack.owner,
                ScopeViolation.LeakCause.TASK_ENDED, where, scope.entryStack())));
    }

    void leaked(ScopeStack stack, Scope scope, ScopeViolation.LeakCause cause) {
        record(new ScopeViolation.LeakedScope(Instant.now(), scope.name(), stack.owner, cause, "", scope.entryStack()));
    }

    /**
     * Counts a JDK scope error ({@code WrongThreadException}, {@code StructureViolationException}) that
     * reached a tracked operation; false when the error is not one.
     */
    public boolean recordJdkError(String operation, Throwable error) {
        Throwable jdkError = JdkScopeErrors.find(error);
        if (jdkError == null) {
            return false;
        }
        record(new ScopeViolation.JdkScopeError(Instant.now(), operation, ThreadRef.current(), jdkError.getClass().getName(),
                jdkError.getMessage(), CapturedStack.of(jdkError.getStackTrace())));
        return true;
    }

    public ScopeMode mode() {
        return settings.get(Setting.SCOPES_MODE);
    }

    /** Scopes entered since start. */
    public long entered() {
        return entered.sum();
    }

    /** Violations of every kind since start. */
    public long violations() {
        long total = 0;
        for (int i = 0; i < violationsByKind.length(); i++) {
            total += violationsByKind.get(i);
        }
        return total;
    }

    public Map<ViolationKind, Long> violationsByKind() {
        Map<ViolationKind, Long> counts = new EnumMap<>(ViolationKind.class);
        for (ViolationKind kind : ViolationKind.values()) {
            counts.put(kind, violationsByKind.get(kind.ordinal()));
        }
        return counts;
    }

    /** The most recent violations, oldest first, with their sequence numbers. */
    public List<History.Entry<ScopeViolation>> recentViolations() {
        return recent.entries();
    }

    /** The same, each entry rendered once and kept: see {@link History#rendered}. */
    public List<String> recentViolations(Function<History.Entry<ScopeViolation>, String> rendering) {
        return recent.rendered(rendering);
    }

    private ScopeStack stack() {
        StackHolder holder = stacks.get();
        if (holder == null) {
            ScopeStack stack = new ScopeStack(this, Thread.currentThread());
            holder = new StackHolder(stack);
            RuntimeCleaner.register(holder, stack::ownerEnded);
            stacks.set(holder);
        }
        return holder.stack;
    }

    /**
     * The thread-local value: only the thread reaches it, so it becomes garbage when the thread ends,
     * while the cleaner keeps the stack itself to report what was left open.
     */
    private static final class StackHolder {
        final ScopeStack stack;

        StackHolder(ScopeStack stack) {
            this.stack = stack;
        }
    }
}
