package dev.sonde.dashboard.history;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one JVM reported over the dashboard's history window (15 minutes by default), one sample per poll,
 * kept in the dashboard's memory: the JVM-wide series and throughput and p99 per operation.
 */
public final class JvmHistory {

    /** Operations charted per JVM at most; past it the newest names are not kept (the table still shows them). */
    static final int MAX_OPERATIONS = 256;

    private final int capacity;
    private final long[] times;
    private final SeriesRing[] series = new SeriesRing[Sample.SERIES.length];
    private final Map<String, SeriesRing[]> operations = new TreeMap<>();
    private int next;
    private int size;

    public JvmHistory(int capacity) {
        this.capacity = capacity;
        this.times = new long[capacity];
        for (int i = 0; i < series.length; i++) {
            series[i] = new SeriesRing(capacity);
        }
    }

    public synchronized void add(Sample sample) {
        times[next] = sample.atMillis();
        next = (next + 1) % capacity;
        double[] values = sample.seriesValues();
        for (int i = 0; i < values.length; i++) {
            series[i].add(values[i]);
        }
        for (Map.Entry<String, Sample.OperationSample> entry : sample.operations().entrySet()) {
            SeriesRing[] rings = operations.get(entry.getKey());
            if (rings == null) {
                if (operations.size() >= MAX_OPERATIONS) {
                    continue;
                }
                rings = new SeriesRing[] {SeriesRing.withGaps(capacity, size), SeriesRing.withGaps(capacity, size)};
                operations.put(entry.getKey(), rings);
            }
            rings[0].add(entry.getValue().throughput());
            rings[1].add(entry.getValue().p99Millis());
        }
        size = Math.min(size + 1, capacity);
        // An operation absent from this sample (its name fell out of the report) gets a gap, so all series stay aligned.
        for (SeriesRing[] rings : operations.values()) {
            while (rings[0].size() < size) {
                rings[0].add(Double.NaN);
                rings[1].add(Double.NaN);
            }
        }
    }

    public int capacity() {
        return capacity;
    }

    public synchronized int size() {
        return size;
    }

    /**
     * The samples taken at or after {@code sinceMillis}, as columns: {@code t} (epoch ms), each JVM-wide
     * series by name, and {@code operations: {name: {throughput: [...], p99Millis: [...]}}}.
     */
    public synchronized Map<String, Object> columns(long sinceMillis) {
        int count = 0;
        while (count < size && times[Math.floorMod(next - count - 1, capacity)] >= sinceMillis) {
            count++;
        }
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            t[i] = times[Math.floorMod(next - count + i, capacity)];
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("t", t);
        for (int i = 0; i < series.length; i++) {
            columns.put(Sample.SERIES[i], series[i].last(count));
        }
        Map<String, Object> byOperation = new LinkedHashMap<>();
        for (Map.Entry<String, SeriesRing[]> entry : operations.entrySet()) {
            byOperation.put(entry.getKey(), Map.of("throughput", entry.getValue()[0].last(count),
                    "p99Millis", entry.getValue()[1].last(count)));
        }
        columns.put("operations", byOperation);
        return columns;
    }
}
