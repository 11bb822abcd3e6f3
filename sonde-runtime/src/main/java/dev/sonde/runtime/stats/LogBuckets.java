package dev.sonde.runtime.stats;

/**
 * Logarithmic buckets for non-negative durations in nanoseconds, as HdrHistogram lays them out:
 * each power of two is split into {@value #SUB_BUCKETS} equal parts, so a value is known to within
 * 1/{@value #SUB_BUCKETS} of itself. Values from 0 to about 2.4 hours (2^43 ns) get their own
 * bucket; longer ones share one last bucket.
 */
public final class LogBuckets {

    static final int SUB_BUCKET_BITS = 3;
    static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int MAX_EXPONENT = 42;

    /** Number of buckets, the one for values past the range included. */
    public static final int COUNT = (MAX_EXPONENT - SUB_BUCKET_BITS + 2) * SUB_BUCKETS + 1;

    private LogBuckets() {
    }

    public static int indexOf(long value) {
        if (value < SUB_BUCKETS) {
            return value <= 0 ? 0 : (int) value;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        if (exponent > MAX_EXPONENT) {
            return COUNT - 1;
        }
        int shift = exponent - SUB_BUCKET_BITS;
        int mantissa = (int) (value >>> shift) & (SUB_BUCKETS - 1);
        return (shift + 1) * SUB_BUCKETS + mantissa;
    }

    /** The smallest value that falls into the bucket. */
    public static long lowerBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int group = index / SUB_BUCKETS;
        int mantissa = index % SUB_BUCKETS;
        return (long) (SUB_BUCKETS + mantissa) << (group - 1);
    }

    /** The largest value that falls into the bucket. */
    public static long upperBound(int index) {
        return index == COUNT - 1 ? Long.MAX_VALUE : lowerBound(index + 1) - 1;
    }

    /**
     * The value at the given quantile (0..1) of the counts, as the middle of its bucket, never
     * above {@code max}; 0 when there are no counts.
     */
    public static long quantile(long[] counts, long total, double quantile, long max) {
        if (total <= 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < COUNT; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return valueIn(i, max);
            }
        }
        return max;
    }

    /** The value a quantile falling into the bucket takes: the bucket's middle, never above {@code max}. */
    static long valueIn(int index, long max) {
        long low = lowerBound(index);
        long middle = low + (Math.min(upperBound(index), max) - low) / 2;
        return Math.min(middle, max);
    }
}
