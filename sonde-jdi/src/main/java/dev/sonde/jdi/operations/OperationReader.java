package dev.sonde.jdi.operations;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.BooleanValue;
import com.sun.jdi.Field;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.LongValue;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.model.OpenOperation;
import dev.sonde.core.model.RuntimeContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the sonde-runtime operations and scopes open on a stopped thread with JDWP field reads only: the runtime keeps
 * both in thread locals ({@code OperationStack}, {@code Scopes$StackHolder}), found in the thread's {@code threadLocals}
 * map by the class of their value. No code runs in the target; a target without sonde-runtime costs two local class
 * look-ups.
 */
public final class OperationReader {

    static final String OPERATION_STACK = "dev.sonde.runtime.operations.OperationStack";
    static final String SCOPE_HOLDER = "dev.sonde.runtime.scopes.Scopes$StackHolder";
    private static final int SCOPE_OPEN = 1;
    private static final int MAX_CACHED = 20_000;
    private static final int MOST_READ = 64;

    private final VirtualMachine vm;
    /** A thread's runtime records, found once: the runtime makes one of each per thread and never replaces it. */
    private final Map<Long, Found> found = new ConcurrentHashMap<>();
    private final Map<Long, String> strings = new ConcurrentHashMap<>();

    public OperationReader(VirtualMachine vm) {
        this.vm = vm;
    }

    private record Found(List<ObjectReference> operationStacks, List<ObjectReference> scopeHolders) {
        boolean complete() {
            return !operationStacks.isEmpty() && !scopeHolders.isEmpty();
        }
    }

    /** The operations and scopes open on the suspended {@code thread}; {@link RuntimeContext#NONE} when there are none to read. */
    public RuntimeContext read(ThreadReference thread) {
        return read(thread, true);
    }

    /** Whether an operation of that name is open on the suspended thread, innermost or enclosing. */
    public boolean inOperation(ThreadReference thread, String name) {
        return read(thread, false).inOperation(name);
    }

    private RuntimeContext read(ThreadReference thread, boolean withScopes) {
        if (vm.classesByName(OPERATION_STACK).isEmpty() && vm.classesByName(SCOPE_HOLDER).isEmpty()) {
            return RuntimeContext.NONE;
        }
        try {
            Found records = records(thread);
            long now = System.currentTimeMillis();
            List<OpenOperation> operations = new ArrayList<>();
            for (ObjectReference stack : records.operationStacks()) {
                operations.addAll(operations(stack, now));
            }
            List<String> scopes = new ArrayList<>();
            for (ObjectReference holder : withScopes ? records.scopeHolders() : List.<ObjectReference>of()) {
                scopes.addAll(scopes(holder));
            }
            return operations.isEmpty() && scopes.isEmpty() ? RuntimeContext.NONE : new RuntimeContext(operations, scopes);
        } catch (VMDisconnectedException gone) {
            throw gone;
        } catch (RuntimeException unreadable) {
            // A collected object or a runtime of another shape: the stop goes on without the context.
            found.remove(thread.uniqueID());
            return RuntimeContext.NONE;
        }
    }

    private Found records(ThreadReference thread) {
        Found known = found.get(thread.uniqueID());
        if (known != null && known.complete()) {
            return known;
        }
        List<ObjectReference> stacks = new ArrayList<>(1);
        List<ObjectReference> holders = new ArrayList<>(1);
        if (get(thread, "threadLocals") instanceof ObjectReference locals && get(locals, "table") instanceof ArrayReference table) {
            for (Value slot : table.getValues()) {
                if (slot instanceof ObjectReference entry && get(entry, "value") instanceof ObjectReference value) {
                    String type = value.referenceType().name();
                    if (type.equals(OPERATION_STACK)) {
                        stacks.add(value);
                    } else if (type.equals(SCOPE_HOLDER)) {
                        holders.add(value);
                    }
                }
            }
        }
        Found records = new Found(List.copyOf(stacks), List.copyOf(holders));
        if (!stacks.isEmpty() || !holders.isEmpty()) {
            if (found.size() > MAX_CACHED) {
                found.clear();
            }
            found.put(thread.uniqueID(), records);
        }
        return records;
    }

    /** The operations of one {@code OperationStack}, innermost first. */
    private List<OpenOperation> operations(ObjectReference stack, long now) {
        ReferenceType type = stack.referenceType();
        List<Field> wanted = new ArrayList<>(List.of(field(type, "depth"), field(type, "trackers"), field(type, "startNanos"),
                field(type, "carried"), field(type, "thread")));
        // Fields a runtime older than this debugger lacks: its operations have no number and no age.
        Field sequencesField = type.fieldByName("sequences");
        Field clockNanosField = type.fieldByName("CLOCK_NANOS");
        Field clockMillisField = type.fieldByName("CLOCK_MILLIS");
        if (sequencesField != null) {
            wanted.add(sequencesField);
        }
        Map<Field, Value> fields = stack.getValues(wanted);
        int depth = fields.get(field(type, "depth")) instanceof IntegerValue n ? Math.min(n.value(), MOST_READ) : 0;
        if (depth <= 0) {
            return List.of();
        }
        List<Value> trackers = elements(fields.get(field(type, "trackers")), depth);
        List<Value> starts = elements(fields.get(field(type, "startNanos")), depth);
        List<Value> sequences = sequencesField == null ? List.of() : elements(fields.get(sequencesField), depth);
        List<Value> carried = elements(fields.get(field(type, "carried")), depth);
        ThreadRef here = threadRef(fields.get(field(type, "thread")));
        boolean clocked = clockNanosField != null && clockMillisField != null;
        Map<Field, Value> clocks = clocked ? type.getValues(List.of(clockNanosField, clockMillisField)) : Map.of();
        long clockNanos = clocks.get(clockNanosField) instanceof LongValue v ? v.value() : 0;
        long clockMillis = clocks.get(clockMillisField) instanceof LongValue v ? v.value() : 0;
        List<OpenOperation> open = new ArrayList<>(depth);
        for (int i = depth - 1; i >= 0; i--) {
            if (i < carried.size() && carried.get(i) instanceof ObjectReference context) {
                open.add(carriedOperation(context, now));
            } else if (i < trackers.size() && trackers.get(i) instanceof ObjectReference tracker) {
                long start = i < starts.size() && starts.get(i) instanceof LongValue s ? s.value() : clockNanos;
                long sequence = i < sequences.size() && sequences.get(i) instanceof LongValue q ? q.value() : 0;
                long startMillis = clockMillis + Math.floorDiv(start - clockNanos, 1_000_000L);
                open.add(new OpenOperation(text(get(tracker, "name")), here.id() + "." + sequence,
                        clocked ? Math.max(0, now - startMillis) : -1, here.shown()));
            }
        }
        return open;
    }

    /** An operation carried over from the thread that submitted the task: its {@code OperationContext}. */
    private OpenOperation carriedOperation(ObjectReference context, long now) {
        ThreadRef startedOn = threadRef(get(context, "startedOn"));
        long sequence = get(context, "sequence") instanceof LongValue q ? q.value() : 0;
        long startMillis = now;
        if (get(context, "startedAt") instanceof ObjectReference instant) {
            long seconds = get(instant, "seconds") instanceof LongValue s ? s.value() : now / 1000;
            int nanos = get(instant, "nanos") instanceof IntegerValue n ? n.value() : 0;
            startMillis = seconds * 1000 + nanos / 1_000_000;
        }
        return new OpenOperation(text(get(context, "name")), startedOn.id() + "." + sequence, Math.max(0, now - startMillis), startedOn.shown());
    }

    /** The open scopes of one thread's {@code ScopeStack}, innermost first; scopes exited but not yet dropped are left out. */
    private List<String> scopes(ObjectReference holder) {
        if (!(get(holder, "stack") instanceof ObjectReference stack)) {
            return List.of();
        }
        int depth = get(stack, "depth") instanceof IntegerValue n ? Math.min(n.value(), MOST_READ) : 0;
        List<Value> frames = depth <= 0 ? List.of() : elements(get(stack, "frames"), depth);
        List<String> open = new ArrayList<>(frames.size());
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i) instanceof ObjectReference scope && get(scope, "state") instanceof IntegerValue state && state.value() == SCOPE_OPEN) {
                open.add(text(get(scope, "name")));
            }
        }
        return open;
    }

    /** A runtime {@code ThreadRef}. */
    private record ThreadRef(long id, String name, boolean virtual) {
        /** As the async stacks write a thread: its name in quotes, {@code virtual#ID} in front for a virtual thread. */
        String shown() {
            return (virtual ? "virtual#" + id + " " : "") + "\"" + (name == null ? "" : name) + "\"";
        }
    }

    private ThreadRef threadRef(Value value) {
        if (!(value instanceof ObjectReference ref)) {
            return new ThreadRef(-1, null, false);
        }
        ReferenceType type = ref.referenceType();
        Map<Field, Value> fields = ref.getValues(List.of(field(type, "id"), field(type, "name"), field(type, "virtual")));
        return new ThreadRef(fields.get(field(type, "id")) instanceof LongValue id ? id.value() : -1, text(fields.get(field(type, "name"))),
                fields.get(field(type, "virtual")) instanceof BooleanValue v && v.value());
    }

    private static Value get(ObjectReference object, String name) {
        Field field = object.referenceType().fieldByName(name);
        return field == null ? null : object.getValue(field);
    }

    private static Field field(ReferenceType type, String name) {
        Field field = type.fieldByName(name);
        if (field == null) {
            throw new IllegalStateException(type.name() + " has no field " + name);
        }
        return field;
    }

    private static List<Value> elements(Value array, int count) {
        return array instanceof ArrayReference elements && elements.length() > 0
                ? elements.getValues(0, Math.min(count, elements.length())) : List.of();
    }

    private String text(Value value) {
        if (!(value instanceof StringReference string)) {
            return null;
        }
        if (strings.size() > MAX_CACHED) {
            strings.clear();
        }
        // Operation and scope names are few distinct strings (tracker names, literals): each is read once.
        return strings.computeIfAbsent(string.uniqueID(), id -> string.value());
    }
}
