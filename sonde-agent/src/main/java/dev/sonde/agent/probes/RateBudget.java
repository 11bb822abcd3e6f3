package dev.sonde.agent.probes;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** At most {@code perSecond} admitted hits in each one-second window; the others are counted as dropped. */
final class RateBudget {

    private final int perSecond;
    private volatile long windowStart = System.nanoTime();
    private final AtomicLong inWindow = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private long droppedReported;
    private long lastReportMillis;

    RateBudget(int perSecond) {
        if (perSecond < 1) {
            throw new ProbeRefused("The limit must be at least 1 a second.");
        }
        this.perSecond = perSecond;
    }

    int perSecond() {
        return perSecond;
    }

    long dropped() {
        return dropped.sum();
    }

    boolean admit() {
        long now = System.nanoTime();
        long start = windowStart;
        if (now - start >= 1_000_000_000L) {
            synchronized (this) {
                if (windowStart == start) {
                    inWindow.set(0);
                    windowStart = now;
                }
            }
        }
        if (inWindow.incrementAndGet() <= perSecond) {
            return true;
        }
        dropped.increment();
        return false;
    }

    /** How many were dropped since the last call that returned a count, at most once a second; 0 when none. */
    synchronized long droppedSinceReport(long nowMillis) {
        long total = dropped.sum();
        if (total > droppedReported && nowMillis - lastReportMillis >= 1000) {
            lastReportMillis = nowMillis;
            long fresh = total - droppedReported;
            droppedReported = total;
            return fresh;
        }
        return 0;
    }
}
