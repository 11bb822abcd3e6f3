package dev.sonde.runtime.stats;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Count, errors and a duration histogram over the last {@code window} of time, kept in a fixed ring
 * of {@value #BUCKETS} buckets that are reused as time moves on: recording allocates nothing and
 * takes a handful of uncontended atomic additions.
 *
 * <p>Figures are exact for the buckets in the window; the oldest bucket leaves the window whole, so
 * the window covers between {@code window * (BUCKETS-1)/BUCKETS} and {@code window} of time. A sample
 * that races with a bucket being reused may be lost; these are statistics, not accounts.
 */
public final class SlidingWindow {

    static final int BUCKETS = 6;
    private static final int SUM = LogBuckets.COUNT;
    private static final int ERRORS = SUM + 1;
    private static final int MAX = SUM + 2;
    private static final int SLOTS = MAX + 1;

    private final Bucket[] ring = new Bucket[BUCKETS];
    private final ClosedBuckets closed = new ClosedBuckets();
    private volatile long bucketNanos;
    private volatile Bucket current;

    public SlidingWindow(Duration window) {
        for (int i = 0; i < BUCKETS; i++) {
            ring[i] = new Bucket();
        }
        resize(window);
    }

    /** Changes the window's length; the figures gathered so far are dropped. */
    public synchronized void resize(Duration window) {
        bucketNanos = Math.max(1, window.toNanos() / BUCKETS);
        synchronized (closed) {
            closed.newestSlot = Long.MIN_VALUE;
        }
        for (Bucket bucket : ring) {
            bucket.reset(Long.MIN_VALUE, 0);
        }
        current = rotate(System.nanoTime());
    }

    public Duration window() {
        return Duration.ofNanos(bucketNanos * BUCKETS);
    }

    /**
     * Records one sample that ended at {@code nowNanos} ({@link System#nanoTime()}).
     *
     * @param durationNanos the sample's duration
     * @param error         whether the sample was a failure
     */
    public void record(long nowNanos, long durationNanos, boolean error) {
        Bucket bucket = current;
        if (nowNanos - bucket.startNanos >= bucketNanos || nowNanos < bucket.startNanos) {
            bucket = rotate(nowNanos);
        }
        AtomicLongArray slots = bucket.slots;
        slots.getAndIncrement(LogBuckets.indexOf(durationNanos));
        slots.getAndAdd(SUM, durationNanos);
        if (error) {
            slots.getAndIncrement(ERRORS);
        }
        long max;
        while (durationNanos > (max = slots.get(MAX)) && !slots.compareAndSet(MAX, max, durationNanos)) {
            // another thread raised the maximum; compare again
        }
    }

    public WindowSnapshot snapshot() {
        return snapshot(System.nanoTime());
    }

    /** The window's figures; reads the newest bucket and the kept sum of the older ones, and allocates no histogram. */
    public WindowSnapshot snapshot(long nowNanos) {
        long newestSlot = Math.floorDiv(nowNanos, bucketNanos);
        Duration length = window();
        synchronized (closed) {
            if (closed.newestSlot != newestSlot) {
                closed.sumOlderBuckets(ring, newestSlot);
            }
            long[] totals = {closed.count, closed.errors, closed.sum, closed.max};
            Bucket newest = null;
            for (Bucket bucket : ring) {
                if (bucket.slot == newestSlot) {
                    newest = bucket;
                    bucket.addTotals(totals);
                }
            }
            long count = totals[0];
            long max = totals[3];
            return new WindowSnapshot(length, count, Math.min(totals[1], count), totals[2],
                    quantile(newest, count, 0.50, max), quantile(newest, count, 0.99, max), max);
        }
    }

    /** {@link LogBuckets#quantile} over the kept older buckets plus the newest one, without summing them into an array. */
    private long quantile(Bucket newest, long total, double quantile, long max) {
        if (total <= 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long[] older = closed.counts;
        long seen = 0;
        for (int i = 0; i < LogBuckets.COUNT; i++) {
            seen += older[i] + (newest == null ? 0 : newest.slots.get(i));
            if (seen >= rank) {
                return LogBuckets.valueIn(i, max);
            }
        }
        return max;
    }

    /** Several windows' figures as one, e.g. all operations' durations together. */
    public static WindowSnapshot merge(Iterable<SlidingWindow> windows, Duration window) {
        long now = System.nanoTime();
        long[] counts = new long[LogBuckets.COUNT];
        long[] totals = new long[4];
        for (SlidingWindow each : windows) {
            long[] part = each.addInto(counts, now);
            totals[0] += part[0];
            totals[1] += part[1];
            totals[2] += part[2];
            totals[3] = Math.max(totals[3], part[3]);
        }
        return toSnapshot(window, counts, totals);
    }

    /**
     * Adds this window's live bucket counts into {@code counts} and returns {count, errors, sum, max}. The
     * buckets before the newest no longer change (a sample racing with the rotation aside), so their sum is
     * kept until time moves to the next bucket: a snapshot reads one bucket, not all of them.
     */
    private long[] addInto(long[] counts, long nowNanos) {
        long newestSlot = Math.floorDiv(nowNanos, bucketNanos);
        long[] totals = new long[4];
        synchronized (closed) {
            if (closed.newestSlot != newestSlot) {
                closed.sumOlderBuckets(ring, newestSlot);
            }
            long[] closedCounts = closed.counts;
            for (int i = 0; i < LogBuckets.COUNT; i++) {
                counts[i] += closedCounts[i];
            }
            totals[0] = closed.count;
            totals[1] = closed.errors;
            totals[2] = closed.sum;
            totals[3] = closed.max;
        }
        for (Bucket bucket : ring) {
            if (bucket.slot == newestSlot) {
                bucket.addInto(counts, totals);
            }
        }
        return totals;
    }

    private static WindowSnapshot toSnapshot(Duration window, long[] counts, long[] totals) {
        long count = totals[0];
        long max = totals[3];
        return new WindowSnapshot(window, count, Math.min(totals[1], count), totals[2],
                LogBuckets.quantile(counts, count, 0.50, max), LogBuckets.quantile(counts, count, 0.99, max), max);
    }

    private synchronized Bucket rotate(long nowNanos) {
        long size = bucketNanos;
        long slot = Math.floorDiv(nowNanos, size);
        Bucket bucket = ring[(int) Math.floorMod(slot, (long) BUCKETS)];
        if (bucket.slot != slot) {
            bucket.reset(slot, slot * size);
        }
        current = bucket;
        return bucket;
    }

    private static final class Bucket {
        final AtomicLongArray slots = new AtomicLongArray(SLOTS);
        volatile long slot = Long.MIN_VALUE;
        volatile long startNanos;

        /** Adds the figures into {count, errors, sum, max}. */
        void addTotals(long[] totals) {
            long count = 0;
            for (int i = 0; i < LogBuckets.COUNT; i++) {
                count += slots.get(i);
            }
            totals[0] += count;
            totals[1] += slots.get(ERRORS);
            totals[2] += slots.get(SUM);
            totals[3] = Math.max(totals[3], slots.get(MAX));
        }

        /** Adds the counts into {@code counts} and the figures into {count, errors, sum, max}. */
        void addInto(long[] counts, long[] totals) {
            long count = 0;
            for (int i = 0; i < LogBuckets.COUNT; i++) {
                long n = slots.get(i);
                counts[i] += n;
                count += n;
            }
            totals[0] += count;
            totals[1] += slots.get(ERRORS);
            totals[2] += slots.get(SUM);
            totals[3] = Math.max(totals[3], slots.get(MAX));
        }

        void reset(long newSlot, long newStartNanos) {
            for (int i = 0; i < SLOTS; i++) {
                slots.set(i, 0);
            }
            startNanos = newStartNanos;
            slot = newSlot;
        }
    }

    /** The summed figures of the buckets in the window before the newest one, as of {@link #newestSlot}. */
    private static final class ClosedBuckets {
        final long[] counts = new long[LogBuckets.COUNT];
        long newestSlot = Long.MIN_VALUE;
        long count;
        long errors;
        long sum;
        long max;

        void sumOlderBuckets(Bucket[] ring, long newest) {
            java.util.Arrays.fill(counts, 0);
            long[] totals = new long[4];
            for (Bucket bucket : ring) {
                long slot = bucket.slot;
                if (slot > newest - BUCKETS && slot < newest) {
                    bucket.addInto(counts, totals);
                }
            }
            count = totals[0];
            errors = totals[1];
            sum = totals[2];
            max = totals[3];
            newestSlot = newest;
        }
    }
}
