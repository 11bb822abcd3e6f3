package dev.sonde.runtime.scopes;

import dev.sonde.runtime.threads.ThreadRef;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.List;

/**
 * The scopes one thread has open, innermost last, followed by exited scope objects kept for reuse.
 * Only the owner thread changes it. A scope exited on another thread stays here, marked exited,
 * until the owner finds it on top.
 */
final class ScopeStack {

    /** More scopes open at once on one thread than any program nests: the oldest half must have leaked. */
    static final int MOST_OPEN = 1024;

    final Scopes scopes;
    final ThreadRef owner;
    /** Weak so that a thread's stack never keeps the thread alive. */
    private final WeakReference<Thread> ownerThread;
    private Scope[] frames = new Scope[8];
    private int depth;

    ScopeStack(Scopes scopes, Thread thread) {
        this.scopes = scopes;
        this.owner = ThreadRef.of(thread);
        this.ownerThread = new WeakReference<>(thread);
    }

    boolean ownedByCurrentThread() {
        return ownerThread.get() == Thread.currentThread();
    }

    int depth() {
        return depth;
    }

    Scope push(String name, List<StackTraceElement> entryStack, boolean reuse) {
        dropExitedTop();
        if (depth == MOST_OPEN) {
            exitOldest(MOST_OPEN / 2);
        }
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, depth * 2);
        }
        Scope scope = frames[depth];
        if (!reuse || scope == null || !scope.reusable) {
            scope = new Scope(this, reuse);
        }
        scope.open(name, entryStack);
        frames[depth++] = scope;
        return scope;
    }

    /** The normal exit: the scope is on top and open. */
    boolean popIfTop(Scope scope) {
        int top = depth - 1;
        if (top >= 0 && frames[top] == scope && scope.markExited()) {
            depth = top;
            dropExitedTop();
            return true;
        }
        return false;
    }

    /** Position of the scope among the open ones, or -1. */
    int indexOf(Scope scope) {
        for (int i = depth - 1; i >= 0; i--) {
            if (frames[i] == scope) {
                return i;
            }
        }
        return -1;
    }

    Scope innermost() {
        return depth == 0 ? null : frames[depth - 1];
    }

    /** Takes an exited scope out from under open ones; it joins the reusable objects above the top. */
    void remove(int index) {
        Scope removed = frames[index];
        System.arraycopy(frames, index + 1, frames, index, depth - index - 1);
        frames[--depth] = removed;
        dropExitedTop();
    }

    /** Scopes above {@code mark} that are still open: the caller is about to report them as leaked. */
    void exitAbove(int mark, LeakReporter reporter) {
        while (depth > mark) {
            Scope scope = frames[--depth];
            if (scope.markExited()) {
                reporter.leaked(scope);
            }
        }
    }

    /** Called by the cleaner once the owner thread has ended; nothing else touches the stack then. */
    void ownerEnded() {
        exitAbove(0, scope -> scopes.leaked(this, scope, ScopeViolation.LeakCause.THREAD_ENDED));
    }

    private void exitOldest(int count) {
        for (int i = 0; i < count; i++) {
            if (frames[i].markExited()) {
                scopes.leaked(this, frames[i], ScopeViolation.LeakCause.PILED_UP);
            }
        }
        Scope[] oldest = Arrays.copyOf(frames, count);
        System.arraycopy(frames, count, frames, 0, depth - count);
        System.arraycopy(oldest, 0, frames, depth - count, count);
        depth -= count;
    }

    private void dropExitedTop() {
        while (depth > 0 && !frames[depth - 1].isOpen()) {
            depth--;
        }
    }

    @FunctionalInterface
    interface LeakReporter {
        void leaked(Scope scope);
    }
}
