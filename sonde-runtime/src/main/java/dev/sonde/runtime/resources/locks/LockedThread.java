package dev.sonde.runtime.resources.locks;

import dev.sonde.runtime.threads.ThreadRef;

import java.util.List;

/**
 * A thread stuck on a lock: the lock it wants, who holds that lock, the locks it holds itself and
 * its stack.
 *
 * @param state      the thread's state (BLOCKED for monitors, WAITING for java.util.concurrent locks)
 * @param waitingFor the lock it wants, as {@code class@identityHash}
 * @param lockOwner  the thread holding that lock, or null when none does
 * @param locksHeld  the monitors and ownable synchronizers it holds
 */
public record LockedThread(ThreadRef thread, String state, String waitingFor, ThreadRef lockOwner, List<String> locksHeld,
                           List<StackTraceElement> stack) {
}
