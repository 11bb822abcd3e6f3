package dev.sonde.runtime.threads;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Identifies a thread in a report without keeping the thread alive.
 *
 * @param id      the thread's id
 * @param name    the thread's name at the time it was seen (virtual threads are often unnamed)
 * @param virtual whether it is a virtual thread
 */
public record ThreadRef(long id, String name, boolean virtual) {

    /** {@code Thread.isVirtual()} exists from Java 21; this library compiles for Java 17. */
    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    public static ThreadRef of(Thread thread) {
        return new ThreadRef(idOf(thread), thread.getName(), isVirtual(thread));
    }

    public static ThreadRef current() {
        return of(Thread.currentThread());
    }

    @SuppressWarnings("deprecation") // threadId() only exists from Java 19
    private static long idOf(Thread thread) {
        return thread.getId();
    }

    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable impossible) {
            return false;
        }
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException olderJdk) {
            return null;
        }
    }

    /** {@code "worker-1#31"}, or {@code "virtual#45"} for an unnamed virtual thread. */
    @Override
    public String toString() {
        String shown = name.isEmpty() ? (virtual ? "virtual" : "unnamed") : name;
        return shown + "#" + id;
    }
}
