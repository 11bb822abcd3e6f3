package dev.sonde.runtime.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The most recent entries of something rare (violations, leaks, alerts), oldest first; the oldest
 * entry leaves when the history is full. Each entry gets a sequence number that keeps growing.
 */
public final class History<T> {

    /** An entry and its sequence number, which starts at 1. */
    public record Entry<T>(long sequence, T value) {
    }

    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
    private final IntSupplier capacity;
    private long sequence;

    /** @param capacity read on every addition, so a changed setting applies at once */
    public History(IntSupplier capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(T value) {
        entries.addLast(new Entry<>(++sequence, value));
        int limit = Math.max(1, capacity.getAsInt());
        while (entries.size() > limit) {
            entries.removeFirst();
        }
    }

    public synchronized List<Entry<T>> entries() {
        return new ArrayList<>(entries);
    }
}
