package dev.sonde.runtime.scopes;

import dev.sonde.runtime.threads.ThreadRef;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * An entered scope, owned by the thread that entered it; exit it with {@link #close()}, on that
 * thread, innermost first.
 *
 * <p>In the default mode (REPORT, no entry stacks) each thread reuses its scope objects, so entering
 * and exiting allocate nothing. The price: a scope object exited and then exited again after its
 * thread reused it for a newer scope is reported against the newer scope. STRICT mode and entry-stack
 * recording use a fresh object per scope, which makes every report exact.
 */
public final class Scope implements AutoCloseable {

    private static final VarHandle STATE;
    private static final int EXITED = 0;
    private static final int OPEN = 1;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Scope.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Handed out when scopes are OFF: tracks nothing. */
    static final Scope UNTRACKED = new Scope(null, false);

    final ScopeStack stack;
    final boolean reusable;
    private String name = "";
    private List<StackTraceElement> entryStack = List.of();
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    Scope(ScopeStack stack, boolean reusable) {
        this.stack = stack;
        this.reusable = reusable;
    }

    void open(String scopeName, List<StackTraceElement> stackAtEntry) {
        name = scopeName;
        entryStack = stackAtEntry;
        STATE.setRelease(this, OPEN);
    }

    /** Marks the scope exited; false when it already was. */
    boolean markExited() {
        return STATE.compareAndSet(this, OPEN, EXITED);
    }

    public boolean isOpen() {
        return (int) STATE.getAcquire(this) == OPEN;
    }

    public String name() {
        return name;
    }

    /** The thread that entered the scope. */
    public ThreadRef owner() {
        return stack == null ? ThreadRef.current() : stack.owner;
    }

    List<StackTraceElement> entryStack() {
        return entryStack;
    }

    /** Exits the scope; misuse is recorded, and in STRICT mode refused with a {@link ScopeViolationException}. */
    @Override
    public void close() {
        if (stack != null) {
            stack.scopes.exit(this);
        }
    }

    @Override
    public String toString() {
        return "Scope[" + name + (isOpen() ? ", open" : ", exited") + "]";
    }
}
