package dev.sonde.jdi.values;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.LongValue;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Reads the size and first elements of JDK collections and maps from their internal fields, so that
 * showing a list never runs code in the target (no {@code toString}, no iterator). Subclasses of a
 * known collection are read like it. Unknown collections fall back to their fields.
 */
final class CollectionSummaries {

    /** The raw contents of a sequence: its size and its first elements. */
    private record Sequence(int size, List<com.sun.jdi.Value> elements) {
    }

    /** The raw contents of a map: its size and its first entries as key, value pairs. */
    private record Entries(int size, List<com.sun.jdi.Value[]> entries) {
    }

    private interface SequenceReader {
        Sequence read(ObjectReference collection, int limit);
    }

    private interface EntriesReader {
        Entries read(ObjectReference map, int limit);
    }

    private final ValueReader reader;
    private final ReadLimits limits;
    private final Map<String, SequenceReader> sequences;
    private final Map<String, EntriesReader> maps;

    CollectionSummaries(ValueReader reader, ReadLimits limits) {
        this.reader = reader;
        this.limits = limits;
        this.sequences = Map.ofEntries(
                Map.entry("java.util.ArrayList", (c, n) -> arrayBacked(c, "elementData", intField(c, "size"), 0, n)),
                Map.entry("java.util.Vector", (c, n) -> arrayBacked(c, "elementData", intField(c, "elementCount"), 0, n)),
                Map.entry("java.util.concurrent.CopyOnWriteArrayList", (c, n) -> wholeArray(array(c, "array"), n)),
                Map.entry("java.util.concurrent.CopyOnWriteArraySet", (c, n) -> wholeArray(array(object(c, "al"), "array"), n)),
                Map.entry("java.util.Arrays$ArrayList", (c, n) -> wholeArray(array(c, "a"), n)),
                Map.entry("java.util.ImmutableCollections$ListN", (c, n) -> wholeArray(array(c, "elements"), n)),
                Map.entry("java.util.ImmutableCollections$List12", this::twoElements),
                Map.entry("java.util.ImmutableCollections$Set12", this::twoElements),
                Map.entry("java.util.ImmutableCollections$SetN", (c, n) -> sparseArray(array(c, "elements"), intField(c, "size"), n)),
                Map.entry("java.util.LinkedList", (c, n) -> linked(object(c, "first"), "item", "next", intField(c, "size"), n)),
                Map.entry("java.util.ArrayDeque", this::arrayDeque),
                Map.entry("java.util.PriorityQueue", (c, n) -> arrayBacked(c, "queue", intField(c, "size"), 0, n)),
                Map.entry("java.util.concurrent.ArrayBlockingQueue", this::arrayBlockingQueue),
                Map.entry("java.util.concurrent.LinkedBlockingQueue", (c, n) -> linked(object(object(c, "head"), "next"), "item", "next",
                        intField(object(c, "count"), "value"), n)),
                Map.entry("java.util.HashSet", (c, n) -> keysOf(object(c, "map"), n)),
                Map.entry("java.util.TreeSet", (c, n) -> keysOf(object(c, "m"), n)),
                Map.entry("java.util.Collections$UnmodifiableCollection", (c, n) -> delegate(object(c, "c"), n)),
                Map.entry("java.util.Collections$SynchronizedCollection", (c, n) -> delegate(object(c, "c"), n)),
                Map.entry("java.util.Collections$SingletonList", (c, n) -> new Sequence(1, java.util.Collections.singletonList(c.getValue(field(c, "element"))))),
                Map.entry("java.util.Collections$SingletonSet", (c, n) -> new Sequence(1, java.util.Collections.singletonList(c.getValue(field(c, "element"))))),
                Map.entry("java.util.Collections$EmptyList", (c, n) -> new Sequence(0, List.of())),
                Map.entry("java.util.Collections$EmptySet", (c, n) -> new Sequence(0, List.of())));
        this.maps = Map.ofEntries(
                Map.entry("java.util.HashMap", this::hashMap),
                Map.entry("java.util.LinkedHashMap", this::linkedHashMap),
                Map.entry("java.util.TreeMap", this::treeMap),
                Map.entry("java.util.concurrent.ConcurrentHashMap", this::concurrentHashMap),
                Map.entry("java.util.IdentityHashMap", (m, n) -> alternating(array(m, "table"), intField(m, "size"), n)),
                Map.entry("java.util.ImmutableCollections$MapN", (m, n) -> alternating(array(m, "table"), intField(m, "size"), n)),
                Map.entry("java.util.ImmutableCollections$Map1", (m, n) -> new Entries(1, List.<com.sun.jdi.Value[]>of(
                        new com.sun.jdi.Value[] {m.getValue(field(m, "k0")), m.getValue(field(m, "v0"))}))),
                Map.entry("java.util.Collections$UnmodifiableMap", (m, n) -> delegateMap(object(m, "m"), n)),
                Map.entry("java.util.Collections$SynchronizedMap", (m, n) -> delegateMap(object(m, "m"), n)),
                Map.entry("java.util.Collections$SingletonMap", (m, n) -> new Entries(1, List.<com.sun.jdi.Value[]>of(
                        new com.sun.jdi.Value[] {m.getValue(field(m, "k")), m.getValue(field(m, "v"))}))),
                Map.entry("java.util.Collections$EmptyMap", (m, n) -> new Entries(0, List.of())));
    }

    /** A summary of a known collection or map, or null when the type is not one Sonde knows. */
    Value summarize(ObjectReference object, ClassType type, int depth) {
        int elementDepth = depth - 1;
        int limit = ValueReader.showsElements(depth) ? limits.maxElements() : 0;
        for (ClassType t = type; t != null; t = t.superclass()) {
            SequenceReader sequenceReader = sequences.get(t.name());
            if (sequenceReader != null) {
                Sequence sequence = sequenceReader.read(object, limit);
                List<Value> elements = new ArrayList<>(sequence.elements().size());
                for (com.sun.jdi.Value element : sequence.elements().subList(0, Math.min(limit, sequence.elements().size()))) {
                    elements.add(reader.read(element, "java.lang.Object", elementDepth));
                }
                return new Value.CollectionRef(type.name(), reader.handles().register(object), sequence.size(), elements);
            }
            EntriesReader entriesReader = maps.get(t.name());
            if (entriesReader != null) {
                Entries entries = entriesReader.read(object, limit);
                List<Value.MapRef.Entry> shown = new ArrayList<>(entries.entries().size());
                for (com.sun.jdi.Value[] entry : entries.entries().subList(0, Math.min(limit, entries.entries().size()))) {
                    shown.add(new Value.MapRef.Entry(reader.read(entry[0], "java.lang.Object", elementDepth),
                            reader.read(entry[1], "java.lang.Object", elementDepth)));
                }
                return new Value.MapRef(type.name(), reader.handles().register(object), entries.size(), shown);
            }
        }
        return null;
    }

    /** Elements ({@code [0]}, {@code [1]}, ...) or entries ({@code key → value}) of a known collection; null otherwise. */
    List<Variable> children(ObjectReference object, ClassType type, int depth) {
        return children(object, type, 0, limits.maxElements() * 10, depth);
    }

    /**
     * Elements or entries {@code start .. start+count-1} of a known collection, null for another type. The raw values
     * before {@code start} are read as handles (one round trip for an array-backed list) but never converted.
     */
    List<Variable> children(ObjectReference object, ClassType type, int start, int count, int depth) {
        int limit = (int) Math.min(Integer.MAX_VALUE, (long) start + count);
        for (ClassType t = type; t != null; t = t.superclass()) {
            SequenceReader sequenceReader = sequences.get(t.name());
            if (sequenceReader != null) {
                Sequence sequence = sequenceReader.read(object, limit);
                List<Variable> elements = new ArrayList<>();
                for (int i = start; i < sequence.elements().size(); i++) {
                    elements.add(new Variable("[" + i + "]", "java.lang.Object",
                            reader.read(sequence.elements().get(i), "java.lang.Object", depth), VariableKind.ELEMENT));
                }
                return elements;
            }
            EntriesReader entriesReader = maps.get(t.name());
            if (entriesReader != null) {
                Entries entries = entriesReader.read(object, limit);
                List<Variable> shown = new ArrayList<>();
                for (com.sun.jdi.Value[] entry : entries.entries().subList(Math.min(start, entries.entries().size()), entries.entries().size())) {
                    Value key = reader.read(entry[0], "java.lang.Object", 0);
                    shown.add(new Variable(key.render(), "java.lang.Object", reader.read(entry[1], "java.lang.Object", depth),
                            VariableKind.SYNTHETIC));
                }
                return shown;
            }
        }
        return null;
    }

    // ---- sequences ----

    private Sequence arrayBacked(ObjectReference collection, String arrayField, int size, int offset, int limit) {
        ArrayReference backing = array(collection, arrayField);
        int shown = Math.min(Math.min(size, limit), backing == null ? 0 : backing.length() - offset);
        return new Sequence(size, shown <= 0 ? List.of() : backing.getValues(offset, shown));
    }

    private static Sequence wholeArray(ArrayReference array, int limit) {
        if (array == null) {
            return new Sequence(0, List.of());
        }
        int length = array.length();
        int shown = Math.min(length, limit);
        return new Sequence(length, shown == 0 ? List.of() : array.getValues(0, shown));
    }

    /** Arrays with holes (open-addressing tables): skip the nulls. */
    private static Sequence sparseArray(ArrayReference array, int size, int limit) {
        List<com.sun.jdi.Value> found = new ArrayList<>();
        if (array != null) {
            for (com.sun.jdi.Value value : array.getValues()) {
                if (value != null) {
                    found.add(value);
                    if (found.size() >= limit) {
                        break;
                    }
                }
            }
        }
        return new Sequence(size, found);
    }

    private Sequence twoElements(ObjectReference collection, int limit) {
        com.sun.jdi.Value first = collection.getValue(field(collection, "e0"));
        com.sun.jdi.Value second = collection.getValue(field(collection, "e1"));
        // The one-element form keeps a sentinel (ImmutableCollections.EMPTY) in the second slot.
        ReferenceType holder = collection.referenceType().virtualMachine().classesByName("java.util.ImmutableCollections").stream()
                .findFirst().orElse(null);
        com.sun.jdi.Value empty = holder == null || holder.fieldByName("EMPTY") == null ? null : holder.getValue(holder.fieldByName("EMPTY"));
        if (second == null || second.equals(empty)) {
            return new Sequence(1, List.of(first));
        }
        return new Sequence(2, List.of(first, second).subList(0, Math.min(2, limit)));
    }

    private Sequence linked(ObjectReference node, String itemField, String nextField, int size, int limit) {
        List<com.sun.jdi.Value> items = new ArrayList<>();
        ObjectReference current = node;
        while (current != null && items.size() < Math.min(size, limit)) {
            Field item = field(current, itemField);
            Field next = field(current, nextField);
            Map<Field, com.sun.jdi.Value> values = current.getValues(List.of(item, next));
            items.add(values.get(item));
            current = (ObjectReference) values.get(next);
        }
        return new Sequence(size, items);
    }

    private Sequence arrayDeque(ObjectReference deque, int limit) {
        ArrayReference elements = array(deque, "elements");
        int head = intField(deque, "head");
        int tail = intField(deque, "tail");
        int capacity = elements.length();
        int size = (tail - head + capacity) % capacity;
        List<com.sun.jdi.Value> items = new ArrayList<>();
        List<com.sun.jdi.Value> all = capacity == 0 ? List.of() : elements.getValues();
        for (int i = 0; i < Math.min(size, limit); i++) {
            items.add(all.get((head + i) % capacity));
        }
        return new Sequence(size, items);
    }

    private Sequence arrayBlockingQueue(ObjectReference queue, int limit) {
        ArrayReference items = array(queue, "items");
        int count = intField(queue, "count");
        int takeIndex = intField(queue, "takeIndex");
        List<com.sun.jdi.Value> all = items.getValues();
        List<com.sun.jdi.Value> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(count, limit); i++) {
            shown.add(all.get((takeIndex + i) % all.size()));
        }
        return new Sequence(count, shown);
    }

    private Sequence keysOf(ObjectReference map, int limit) {
        Entries entries = readMap(map, limit);
        List<com.sun.jdi.Value> keys = new ArrayList<>(entries.entries().size());
        for (com.sun.jdi.Value[] entry : entries.entries()) {
            keys.add(entry[0]);
        }
        return new Sequence(entries.size(), keys);
    }

    private Sequence delegate(ObjectReference inner, int limit) {
        if (inner == null || !(inner.referenceType() instanceof ClassType type)) {
            return new Sequence(0, List.of());
        }
        for (ClassType t = type; t != null; t = t.superclass()) {
            SequenceReader sequenceReader = sequences.get(t.name());
            if (sequenceReader != null) {
                return sequenceReader.read(inner, limit);
            }
        }
        return new Sequence(0, List.of());
    }

    // ---- maps ----

    private Entries readMap(ObjectReference map, int limit) {
        if (map == null || !(map.referenceType() instanceof ClassType type)) {
            return new Entries(0, List.of());
        }
        for (ClassType t = type; t != null; t = t.superclass()) {
            EntriesReader entriesReader = maps.get(t.name());
            if (entriesReader != null) {
                return entriesReader.read(map, limit);
            }
        }
        return new Entries(0, List.of());
    }

    private Entries delegateMap(ObjectReference inner, int limit) {
        return readMap(inner, limit);
    }

    private Entries hashMap(ObjectReference map, int limit) {
        return bucketTable(array(map, "table"), intField(map, "size"), "key", "value", limit);
    }

    private Entries concurrentHashMap(ObjectReference map, int limit) {
        long size = longField(map, "baseCount");
        ArrayReference cells = array(map, "counterCells");
        if (cells != null) {
            for (com.sun.jdi.Value cell : cells.getValues()) {
                if (cell instanceof ObjectReference counter) {
                    size += longField(counter, "value");
                }
            }
        }
        return bucketTable(array(map, "table"), (int) Math.min(Integer.MAX_VALUE, size), "key", "val", limit);
    }

    /** Walks a hash table of chained nodes, reading it in chunks so a huge table is not copied whole. */
    private Entries bucketTable(ArrayReference table, int size, String keyField, String valueField, int limit) {
        List<com.sun.jdi.Value[]> entries = new ArrayList<>();
        if (table == null) {
            return new Entries(size, entries);
        }
        int length = table.length();
        int wanted = Math.min(size, limit);
        for (int start = 0; start < length && entries.size() < wanted; start += 256) {
            for (com.sun.jdi.Value bucket : table.getValues(start, Math.min(256, length - start))) {
                ObjectReference node = (ObjectReference) bucket;
                if (node != null && node.referenceType().name().endsWith("$TreeBin")) {
                    node = object(node, "first");
                }
                while (node != null && entries.size() < wanted) {
                    Field key = field(node, keyField);
                    Field value = field(node, valueField);
                    Field next = field(node, "next");
                    if (key == null || value == null) {
                        break;
                    }
                    Map<Field, com.sun.jdi.Value> values = node.getValues(List.of(key, value, next));
                    entries.add(new com.sun.jdi.Value[] {values.get(key), values.get(value)});
                    node = (ObjectReference) values.get(next);
                }
                if (entries.size() >= wanted) {
                    break;
                }
            }
        }
        return new Entries(size, entries);
    }

    private Entries linkedHashMap(ObjectReference map, int limit) {
        int size = intField(map, "size");
        List<com.sun.jdi.Value[]> entries = new ArrayList<>();
        ObjectReference node = object(map, "head");
        while (node != null && entries.size() < Math.min(size, limit)) {
            Field key = field(node, "key");
            Field value = field(node, "value");
            Field after = field(node, "after");
            Map<Field, com.sun.jdi.Value> values = node.getValues(List.of(key, value, after));
            entries.add(new com.sun.jdi.Value[] {values.get(key), values.get(value)});
            node = (ObjectReference) values.get(after);
        }
        return new Entries(size, entries);
    }

    private Entries treeMap(ObjectReference map, int limit) {
        int size = intField(map, "size");
        List<com.sun.jdi.Value[]> entries = new ArrayList<>();
        Deque<ObjectReference> path = new ArrayDeque<>();
        ObjectReference node = object(map, "root");
        while ((node != null || !path.isEmpty()) && entries.size() < Math.min(size, limit)) {
            while (node != null) {
                path.push(node);
                node = object(node, "left");
            }
            ObjectReference visit = path.pop();
            Field key = field(visit, "key");
            Field value = field(visit, "value");
            Field right = field(visit, "right");
            Map<Field, com.sun.jdi.Value> values = visit.getValues(List.of(key, value, right));
            entries.add(new com.sun.jdi.Value[] {values.get(key), values.get(value)});
            node = (ObjectReference) values.get(right);
        }
        return new Entries(size, entries);
    }

    /** Tables that store key, value, key, value... with empty slots as null (IdentityHashMap, Map.of). */
    private static Entries alternating(ArrayReference table, int size, int limit) {
        List<com.sun.jdi.Value[]> entries = new ArrayList<>();
        if (table != null) {
            List<com.sun.jdi.Value> slots = table.getValues();
            for (int i = 0; i + 1 < slots.size() && entries.size() < Math.min(size, limit); i += 2) {
                if (slots.get(i) != null) {
                    entries.add(new com.sun.jdi.Value[] {slots.get(i), slots.get(i + 1)});
                }
            }
        }
        return new Entries(size, entries);
    }

    // ---- field access ----

    private static Field field(ObjectReference object, String name) {
        return object.referenceType().fieldByName(name);
    }

    private static ObjectReference object(ObjectReference holder, String name) {
        if (holder == null) {
            return null;
        }
        Field field = field(holder, name);
        return field == null ? null : (ObjectReference) holder.getValue(field);
    }

    private static ArrayReference array(ObjectReference holder, String name) {
        return (ArrayReference) object(holder, name);
    }

    private static int intField(ObjectReference holder, String name) {
        if (holder == null) {
            return 0;
        }
        Field field = field(holder, name);
        return field == null ? 0 : ((IntegerValue) holder.getValue(field)).value();
    }

    private static long longField(ObjectReference holder, String name) {
        Field field = field(holder, name);
        return field == null ? 0 : ((LongValue) holder.getValue(field)).value();
    }
}
