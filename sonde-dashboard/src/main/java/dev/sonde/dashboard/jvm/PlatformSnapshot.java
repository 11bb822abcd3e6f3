package dev.sonde.dashboard.jvm;

import dev.sonde.dashboard.jvm.RuntimeSnapshot.Deadlock;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.LockedThread;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.SystemFigures;

import java.util.List;

/**
 * What any JVM says about itself over its platform MBeans, with or without sonde-runtime: the same
 * {@link SystemFigures} as a runtime's snapshot (so one view draws both), plus the deadlocks and lock waits
 * of this moment. Threads are platform threads (the platform MBeans do not list virtual ones).
 *
 * @param capturedAt     when it was read, ISO-8601
 * @param uptimeMillis   how long the JVM has run
 * @param vmName         e.g. {@code OpenJDK 64-Bit Server VM}
 * @param vmVersion      e.g. {@code 21.0.5+11-LTS}
 * @param deadlocks      each cycle of threads waiting for each other's locks, in the order of the cycle
 * @param blockedThreads threads outside the cycles that wait for a monitor (BLOCKED) or for a
 *                       {@code java.util.concurrent} lock that another thread owns, each with the lock and its owner
 */
public record PlatformSnapshot(String capturedAt, long uptimeMillis, String vmName, String vmVersion, SystemFigures system,
                               List<Deadlock> deadlocks, List<LockedThread> blockedThreads) {
}
