package dev.sonde.jdi.asyncstacks;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ClassObjectReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the frames of an agent capture's trace with JDWP field reads: the JVM's own backtrace of a {@code Throwable}
 * (per frame a class mirror, a method id number and a bytecode index, in HotSpot's layout) and the agent's table of
 * what each method id number of a class stands for ({@code SondeSpyMethodNames}). Nothing runs in the target.
 */
final class TraceReader {

    /** One frame of a trace; {@code method} is null when the agent's table does not name it (the frame shows as {@code ?}). */
    record TraceFrame(ReferenceType type, Method method, int codeIndex) {

        String className() {
            return type.name();
        }

        String methodName() {
            return method == null ? "?" : method.name();
        }
    }

    static final String NAMES = "dev.sonde.agent.spy.SondeSpyMethodNames";
    private static final int METHOD_IDS = 0;
    private static final int CODE_INDEXES = 1;
    private static final int MIRRORS = 2;
    private static final int CHUNK = 32;

    private final VirtualMachine vm;
    private final Map<Long, ReferenceType> mirrors = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectReference>> tablesByClass = new ConcurrentHashMap<>();
    private final Map<ReferenceType, ClassTable> tablesByType = new ConcurrentHashMap<>();
    private volatile Fields fields;
    private volatile ObjectReference tablesRead;
    private volatile int tablesCount;

    TraceReader(VirtualMachine vm) {
        this.vm = vm;
    }

    /** The frames of {@code trace} below the spy's own ({@code spy}'s frames on top), at most {@code limit}. */
    synchronized List<TraceFrame> read(ObjectReference trace, ReferenceType spy, int limit) {
        Fields found = fields();
        if (found == null || trace == null) {
            return List.of();
        }
        Map<Field, Value> values = trace.getValues(List.of(found.backtrace, found.depth));
        if (!(values.get(found.backtrace) instanceof ArrayReference backtrace) || backtrace.length() <= MIRRORS) {
            return List.of();
        }
        int depth = Math.min(CHUNK, values.get(found.depth) instanceof IntegerValue d ? d.value() : 0);
        List<Value> parts = backtrace.getValues(0, MIRRORS + 1);
        if (!(parts.get(METHOD_IDS) instanceof ArrayReference ids) || !(parts.get(CODE_INDEXES) instanceof ArrayReference indexes)
                || !(parts.get(MIRRORS) instanceof ArrayReference classes)) {
            return List.of();
        }
        int count = Math.min(depth, Math.min(ids.length(), Math.min(indexes.length(), classes.length())));
        if (count == 0) {
            return List.of();
        }
        List<Value> idValues = ids.getValues(0, count);
        List<Value> indexValues = indexes.getValues(0, count);
        List<Value> classValues = classes.getValues(0, count);
        List<TraceFrame> frames = new ArrayList<>();
        boolean own = true;
        for (int i = 0; i < count && frames.size() < limit; i++) {
            if (!(classValues.get(i) instanceof ClassObjectReference mirror)) {
                break;
            }
            ReferenceType type = mirrors.computeIfAbsent(mirror.uniqueID(), id -> mirror.reflectedType());
            if (own && type.equals(spy)) {
                continue;
            }
            own = false;
            int id = idValues.get(i) instanceof PrimitiveValue n ? n.intValue() & 0xffff : -1;
            int codeIndex = indexValues.get(i) instanceof PrimitiveValue n ? n.intValue() >>> 16 : -1;
            frames.add(new TraceFrame(type, method(type, mirror, id), codeIndex));
        }
        return frames;
    }

    private Method method(ReferenceType type, ClassObjectReference mirror, int id) {
        ClassTable table = tablesByType.get(type);
        if (table == null || !table.knows(id)) {
            table = table(type, mirror, id);
            if (table == null) {
                return null;
            }
            tablesByType.put(type, table);
        }
        return table.method(type, id);
    }

    /** The agent's table for {@code type} that names {@code id}, read anew (the agent adds names as it meets them). */
    private ClassTable table(ReferenceType type, ClassObjectReference mirror, int id) {
        Fields found = fields();
        refreshTables(found, false);
        List<ObjectReference> candidates = tablesByClass.get(type.name());
        if (candidates == null) {
            refreshTables(found, true);
            candidates = tablesByClass.getOrDefault(type.name(), List.of());
        }
        ClassTable best = null;
        for (ObjectReference candidate : candidates) {
            Map<Field, Value> values = candidate.getValues(List.of(found.tableType, found.tableNames, found.tableDescriptors));
            // a class name can be loaded more than once (class loaders, hidden classes): the table names its class
            if (!(values.get(found.tableType) instanceof ObjectReference weak && mirror.equals(weak.getValue(found.referent)))) {
                continue;
            }
            ClassTable read = new ClassTable(strings(values.get(found.tableNames)), strings(values.get(found.tableDescriptors)));
            if (read.knows(id)) {
                return read;
            }
            best = read;
        }
        return best;
    }

    /** The agent's list of tables, read again when it grew ({@code all}: from its start, as after the agent pruned it). */
    private void refreshTables(Fields found, boolean all) {
        if (!(found.names.getValue(found.tables) instanceof ArrayReference array)) {
            return;
        }
        int count = found.names.getValue(found.count) instanceof IntegerValue n ? Math.min(n.value(), array.length()) : 0;
        boolean same = array.equals(tablesRead);
        int from = same && !all ? tablesCount : 0;
        if (same && from >= count) {
            return;
        }
        if (!same || all) {
            tablesByClass.clear();
        }
        for (Value value : count > from ? array.getValues(from, count - from) : List.<Value>of()) {
            if (value instanceof ObjectReference table && table.getValue(found.tableClassName) instanceof StringReference name) {
                tablesByClass.computeIfAbsent(name.value(), key -> new ArrayList<>()).add(table);
            }
        }
        tablesRead = array;
        tablesCount = count;
    }

    private static String[] strings(Value array) {
        if (!(array instanceof ArrayReference elements) || elements.length() == 0) {
            return new String[0];
        }
        List<Value> values = elements.getValues();
        String[] strings = new String[values.size()];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = values.get(i) instanceof StringReference text ? text.value() : null;
        }
        return strings;
    }

    /** What the agent's table of one class says, by method id number. */
    private record ClassTable(String[] names, String[] descriptors) {

        boolean knows(int id) {
            return id >= 0 && id < names.length && names[id] != null;
        }

        Method method(ReferenceType type, int id) {
            if (!knows(id)) {
                return null;
            }
            String descriptor = id < descriptors.length ? descriptors[id] : null;
            List<Method> named = descriptor == null ? type.methodsByName(names[id]) : type.methodsByName(names[id], descriptor);
            return named.isEmpty() ? null : named.get(0);
        }
    }

    private Fields fields() {
        Fields known = fields;
        if (known != null) {
            return known;
        }
        ClassType names = null;
        for (ReferenceType type : vm.classesByName(NAMES)) {
            if (type.classLoader() == null && type instanceof ClassType holder && holder.isInitialized()) {
                names = holder;
            }
        }
        ReferenceType throwable = bootType("java.lang.Throwable");
        ReferenceType reference = bootType("java.lang.ref.Reference");
        ReferenceType table = null;
        for (ReferenceType type : vm.classesByName(NAMES + "$Table")) {
            if (type.classLoader() == null) {
                table = type;
            }
        }
        if (names == null || throwable == null || reference == null || table == null) {
            return null;
        }
        Fields found = new Fields(throwable.fieldByName("backtrace"), throwable.fieldByName("depth"), names, names.fieldByName("tables"),
                names.fieldByName("count"), table.fieldByName("className"), table.fieldByName("type"), table.fieldByName("names"),
                table.fieldByName("descriptors"), reference.fieldByName("referent"));
        if (found.backtrace == null || found.depth == null || found.tables == null || found.count == null || found.tableClassName == null
                || found.tableType == null || found.tableNames == null || found.tableDescriptors == null || found.referent == null) {
            return null;
        }
        fields = found;
        return found;
    }

    private ReferenceType bootType(String name) {
        for (ReferenceType type : vm.classesByName(name)) {
            if (type.classLoader() == null) {
                return type;
            }
        }
        return null;
    }

    private record Fields(Field backtrace, Field depth, ClassType names, Field tables, Field count, Field tableClassName, Field tableType,
                          Field tableNames, Field tableDescriptors, Field referent) {
    }
}
