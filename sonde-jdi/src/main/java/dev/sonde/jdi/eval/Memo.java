package dev.sonde.jdi.eval;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe cache of resolutions that never change for their key (a code location, a type, a method). It is
 * read on every breakpoint hit, so the most recent entry is kept at hand: a hit at the same place as the last one
 * costs one comparison.
 */
public final class Memo<K, V> {

    private record Entry<K, V>(K key, V value) {
    }

    private final ConcurrentHashMap<K, V> all = new ConcurrentHashMap<>();
    private volatile Entry<K, V> last;

    /** The cached value, or null when there is none yet. */
    public V get(K key) {
        Entry<K, V> recent = last;
        if (recent != null && (recent.key == key || recent.key.equals(key))) {
            return recent.value;
        }
        V value = all.get(key);
        if (value != null) {
            last = new Entry<>(key, value);
        }
        return value;
    }

    /** Caches {@code value} for {@code key} and returns it. */
    public V put(K key, V value) {
        all.put(key, value);
        last = new Entry<>(key, value);
        return value;
    }
}
