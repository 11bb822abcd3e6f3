package dev.sonde.jdi.breakpoints;

import com.sun.jdi.ReferenceType;
import com.sun.jdi.VirtualMachine;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the loaded classes nested in a class (member, local and anonymous classes, at any depth) from the
 * classes' constant pools, which name every class they use — member classes always (JLS 13.1), local and
 * anonymous ones where they are created.
 *
 * <p>The obvious way, listing every loaded class, has a lasting cost: the JDWP agent keeps an ID for each class
 * it has named and re-pins every ID each time the whole target is suspended and resumed, which makes every
 * later stop slower for the rest of the session.
 */
final class NestedClasses {

    private NestedClasses() {
    }

    /** The loaded classes nested in {@code outer}, not including it. */
    static List<ReferenceType> of(VirtualMachine vm, ReferenceType outer) {
        if (!vm.canGetConstantPool()) {
            return List.of();
        }
        String prefix = outer.name() + "$";
        Set<String> seen = new LinkedHashSet<>();
        List<ReferenceType> found = new ArrayList<>();
        Deque<ReferenceType> pending = new ArrayDeque<>(List.of(outer));
        while (!pending.isEmpty()) {
            ReferenceType type = pending.pop();
            for (String name : classNames(type)) {
                if (name.startsWith(prefix) && seen.add(name)) {
                    for (ReferenceType nested : vm.classesByName(name)) {
                        if (nested.isPrepared()) {
                            found.add(nested);
                            pending.push(nested);
                        }
                    }
                }
            }
        }
        return found;
    }

    /** The names of the classes a class's constant pool refers to, in binary form ({@code a.b.C$D}). */
    static List<String> classNames(ReferenceType type) {
        int count;
        byte[] pool;
        try {
            count = type.constantPoolCount();
            pool = type.constantPool();
        } catch (RuntimeException unavailable) {
            return List.of();
        }
        String[] utf8 = new String[count];
        List<Integer> classNameIndexes = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(pool))) {
            for (int index = 1; index < count; index++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[index] = in.readUTF();
                    case 7 -> classNameIndexes.add(in.readUnsignedShort());
                    case 8, 16, 19, 20 -> in.skipBytes(2);
                    case 15 -> in.skipBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                    case 5, 6 -> {
                        in.skipBytes(8);
                        index++;
                    }
                    default -> {
                        // A tag this reader does not know: stop rather than misread the rest.
                        return names(utf8, classNameIndexes);
                    }
                }
            }
        } catch (IOException truncated) {
            // use what was read
        }
        return names(utf8, classNameIndexes);
    }

    private static List<String> names(String[] utf8, List<Integer> classNameIndexes) {
        List<String> names = new ArrayList<>(classNameIndexes.size());
        for (int index : classNameIndexes) {
            if (index > 0 && index < utf8.length && utf8[index] != null && !utf8[index].startsWith("[")) {
                names.add(utf8[index].replace('/', '.'));
            }
        }
        return names;
    }
}
