package dev.sonde.core.locks;

import java.util.List;

/**
 * Every thread's monitors and j.u.c. locks, read through the debugger alone, and the deadlocks among them.
 *
 * @param suspendedMillis how long the target was suspended to read them (the reads need every thread held), or -1 when it
 *                        was already stopped
 */
public record MonitorReport(List<ThreadLocks> threads, List<Deadlock> deadlocks, long suspendedMillis) {

    public MonitorReport {
        threads = List.copyOf(threads);
        deadlocks = List.copyOf(deadlocks);
    }
}
