package dev.sonde.dashboard.history;

import java.util.Arrays;

/**
 * A fixed number of float samples, oldest overwritten first. Floats, not doubles: a chart needs three
 * significant digits, and 20 JVMs with 200 operations and 15 minutes of history must fit in little memory.
 * Not thread-safe: {@link JvmHistory} guards it.
 */
final class SeriesRing {

    private final float[] values;
    private int next;
    private int size;

    SeriesRing(int capacity) {
        this.values = new float[capacity];
    }

    /** A ring that starts with {@code missing} gaps, so that a series born late lines up with the time axis. */
    static SeriesRing withGaps(int capacity, int missing) {
        SeriesRing ring = new SeriesRing(capacity);
        for (int i = 0; i < Math.min(missing, capacity); i++) {
            ring.add(Float.NaN);
        }
        return ring;
    }

    void add(double value) {
        values[next] = (float) value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
    }

    int size() {
        return size;
    }

    /** The last {@code count} samples, oldest first; gaps (NaN) come out as null for JSON. */
    Double[] last(int count) {
        int n = Math.min(count, size);
        Double[] out = new Double[n];
        int start = Math.floorMod(next - n, values.length);
        for (int i = 0; i < n; i++) {
            float value = values[(start + i) % values.length];
            out[i] = Float.isNaN(value) ? null : (double) value;
        }
        return out;
    }

    @Override
    public String toString() {
        return Arrays.toString(last(size));
    }
}
