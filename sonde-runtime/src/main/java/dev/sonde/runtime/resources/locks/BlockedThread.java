package dev.sonde.runtime.resources.locks;

import java.time.Duration;

/** A thread blocked on a lock for longer than {@code locks.blockedThreshold}. */
public record BlockedThread(LockedThread thread, Duration blockedFor) {
}
