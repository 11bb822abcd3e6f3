package dev.sonde.dap.server.ids;

import dev.sonde.core.error.SondeException;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * DAP's int ids for one kind of thing (threads, frames, variables containers), both ways: one instance per kind
 * of id, shared by every handler of a connection. The same value always gets the same id while the table holds it.
 *
 * @param <T> what the ids stand for; equal values share an id
 */
public final class IdTable<T> {

    private final Map<T, Integer> ids = new HashMap<>();
    private final Map<Integer, T> values = new HashMap<>();
    private final IntFunction<String> unknown;
    /** A value's own number to use as its id when it is free, or 0 for none; null: every id is counted up. */
    private final ToIntFunction<T> ownNumber;
    // Counting up, ids are never reused within a session, so a stale id from an earlier stop cannot name a value of this one.
    private int last;
    private int nextSpare = Integer.MAX_VALUE;

    private IdTable(IntFunction<String> unknown, ToIntFunction<T> ownNumber) {
        this.unknown = unknown;
        this.ownNumber = ownNumber;
    }

    /**
     * Ids counted up from 1, for things that live until the target resumes (frames, variables references).
     *
     * @param unknown the error message for an id the table does not hold
     */
    public static <T> IdTable<T> counting(IntFunction<String> unknown) {
        return new IdTable<>(unknown, null);
    }

    /**
     * Ids that keep a value's own number when it is positive and free, so the ids a client shows match Sonde's own;
     * any other value gets a free number counting down from the top.
     *
     * @param ownNumber the value's own number, or 0 when it has none that fits an int
     * @param unknown   the error message for an id the table does not hold
     */
    public static <T> IdTable<T> keepingNumbers(ToIntFunction<T> ownNumber, IntFunction<String> unknown) {
        return new IdTable<>(unknown, ownNumber);
    }

    /** The id of {@code value}, given a new one if the table does not hold it yet. */
    public synchronized int idOf(T value) {
        Integer known = ids.get(value);
        if (known != null) {
            return known;
        }
        int id = newId(value);
        ids.put(value, id);
        values.put(id, value);
        return id;
    }

    private int newId(T value) {
        if (ownNumber == null) {
            last = last == Integer.MAX_VALUE ? 1 : last + 1;
            return last;
        }
        int own = ownNumber.applyAsInt(value);
        if (own > 0 && !values.containsKey(own)) {
            return own;
        }
        while (values.containsKey(nextSpare)) {
            nextSpare--;
        }
        return nextSpare--;
    }

    /** What {@code id} stands for; fails with the table's message when it holds no such id. */
    public synchronized T get(int id) {
        T value = values.get(id);
        if (value == null) {
            throw SondeException.notFound(unknown.apply(id));
        }
        return value;
    }

    /** Forgets one value, such as a thread that has ended. */
    public synchronized void forget(T value) {
        Integer id = ids.remove(value);
        if (id != null) {
            values.remove(id);
        }
    }

    /** Forgets every value; for ids that die when the target resumes. */
    public synchronized void clear() {
        ids.clear();
        values.clear();
    }
}
