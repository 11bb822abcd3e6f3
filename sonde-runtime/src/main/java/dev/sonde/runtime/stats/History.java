package dev.sonde.runtime.stats;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The most recent entries of something rare (violations, leaks, alerts), oldest first; the oldest
 * entry leaves when the history is full. Each entry gets a sequence number that keeps growing.
 */
public final class History<T> {

    /** An entry and its sequence number, which starts at 1. */
    public record Entry<T>(long sequence, T value) {
    }

    /** An entry and, once asked for, its rendered text. */
    private static final class Slot<T> {
        final Entry<T> entry;
        volatile String rendered;

        Slot(Entry<T> entry) {
            this.entry = entry;
        }
    }

    private final ArrayDeque<Slot<T>> slots = new ArrayDeque<>();
    private final IntSupplier capacity;
    private long sequence;

    /** @param capacity read on every addition, so a changed setting applies at once */
    public History(IntSupplier capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(T value) {
        slots.addLast(new Slot<>(new Entry<>(++sequence, value)));
        int limit = Math.max(1, capacity.getAsInt());
        while (slots.size() > limit) {
            slots.removeFirst();
        }
    }

    public synchronized List<Entry<T>> entries() {
        List<Entry<T>> entries = new ArrayList<>(slots.size());
        for (Slot<T> slot : slots) {
            entries.add(slot.entry);
        }
        return entries;
    }

    /**
     * The entries as texts, oldest first. Entries never change, so each is rendered once, on first
     * use, and its text kept with it while it stays in the history: a dashboard polling every second
     * shows the same entries each time. Pass the same rendering every time.
     */
    public List<String> rendered(Function<Entry<T>, String> rendering) {
        List<Slot<T>> current;
        synchronized (this) {
            current = new ArrayList<>(slots);
        }
        List<String> texts = new ArrayList<>(current.size());
        for (Slot<T> slot : current) {
            String text = slot.rendered;
            if (text == null) {
                // Two threads racing here render the same text; either may be kept.
                text = rendering.apply(slot.entry);
                slot.rendered = text;
            }
            texts.add(text);
        }
        return texts;
    }
}
