package dev.sonde.core.locks;

import java.util.List;

/**
 * What one thread holds and waits for.
 *
 * @param owned       the monitors it holds, then the j.u.c. locks it owns exclusively
 * @param awaited     the lock it waits for, or null
 * @param waitKind    how it waits for {@code awaited}
 * @param ownerId     the id of the thread holding {@code awaited}, or 0 when none holds it (or it is not known)
 */
public record ThreadLocks(long threadId, String threadName, List<LockRef> owned, LockRef awaited, WaitKind waitKind, long ownerId) {

    public ThreadLocks {
        owned = List.copyOf(owned);
    }

    public boolean holdsOrWaits() {
        return !owned.isEmpty() || awaited != null;
    }

    /** How a thread waits for a lock. */
    public enum WaitKind {
        /** Not waiting for a lock. */
        NONE("none"),
        /** Blocked entering a {@code synchronized} block or method. */
        ENTER("enter"),
        /** In {@code Object.wait()}: it let the monitor go and waits to be notified. */
        WAIT("wait"),
        /** Parked on a j.u.c. lock ({@code LockSupport.park} with the lock as blocker). */
        PARK("park");

        private final String label;

        WaitKind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether the thread cannot go on until the lock's owner lets it go (an {@code Object.wait} needs a notify instead). */
        public boolean blocks() {
            return this == ENTER || this == PARK;
        }
    }
}
