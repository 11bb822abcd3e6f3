package dev.sonde.jdi.asyncstacks;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ArrayReference;
import com.sun.jdi.BooleanValue;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.LongValue;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a stopped thread's async stack from the Sonde agent's captures with JDWP field reads only: the spy's
 * {@code CURRENT} thread local in the thread's {@code threadLocals} map, the innermost capture of the tasks it runs,
 * and the chain of captures behind it. No code runs in the target. A thread the agent captured nothing for may run a
 * task of sonde-runtime's wrapped executors, whose hand-off ({@code tasks.captureStacks}) is read the same way from the
 * runtime's {@code TaskStacks}. Without either there is nothing to read and the stack is the thread's own.
 */
public final class AsyncStackReader {

    static final String SPY = "dev.sonde.agent.spy.SondeSpyAsync";
    static final String RUNTIME = "dev.sonde.runtime.threads.TaskStacks";
    private static final int MAX_CHAIN = 64;
    private static final int MAX_CACHED = 20_000;

    private final VirtualMachine vm;
    private final Map<Long, String> strings = new ConcurrentHashMap<>();
    private final Map<String, String> sourceFiles = new ConcurrentHashMap<>();
    private final Map<String, Integer> lines = new ConcurrentHashMap<>();
    private final Map<Long, Decoded> captures = new ConcurrentHashMap<>();
    private final Map<Long, ObjectReference> running = new ConcurrentHashMap<>();
    private final Map<RuntimeThread, ObjectReference> runtimeRunning = new ConcurrentHashMap<>();
    private final Map<ReferenceType, Layout> runtimeLayouts = new ConcurrentHashMap<>();
    private final TraceReader traces;
    private volatile Layout layout;

    public AsyncStackReader(VirtualMachine vm) {
        this.vm = vm;
        this.traces = new TraceReader(vm);
    }

    /** The hand-offs behind the work {@code thread} runs, nearest first; empty when there are none to read. */
    public List<AsyncSegment> read(ThreadReference thread) {
        return read(thread, false);
    }

    /** The nearest hand-off only, for a stop's announcement: one capture read, or null when the thread runs no captured work. */
    public AsyncSegment first(ThreadReference thread) {
        List<AsyncSegment> nearest = read(thread, 1, false);
        return nearest.isEmpty() ? null : nearest.get(0);
    }

    /**
     * {@link #read(ThreadReference)}, with the lines of the scheduling machinery's frames looked up too when
     * {@code machineryLines} (for {@code where full}; folded away otherwise, so not looked up).
     */
    public List<AsyncSegment> read(ThreadReference thread, boolean machineryLines) {
        return read(thread, MAX_CHAIN, machineryLines);
    }

    private List<AsyncSegment> read(ThreadReference thread, int most, boolean machineryLines) {
        List<AsyncSegment> agent = readAgent(thread, most, machineryLines);
        return agent.isEmpty() ? readRuntime(thread, most, machineryLines) : agent;
    }

    private List<AsyncSegment> readAgent(ThreadReference thread, int most, boolean machineryLines) {
        Layout fields = layout();
        if (fields == null) {
            return List.of();
        }
        ObjectReference capture;
        try {
            capture = fields.top(runningTasks(thread, fields));
        } catch (ObjectCollectedException e) {
            running.remove(thread.uniqueID());
            return List.of();
        }
        return chain(capture, fields, most, machineryLines);
    }

    /** The hand-offs sonde-runtime recorded for the task {@code thread} runs (each copy of the runtime in the target is asked). */
    private List<AsyncSegment> readRuntime(ThreadReference thread, int most, boolean machineryLines) {
        for (ReferenceType type : vm.classesByName(RUNTIME)) {
            if (!(type instanceof ClassType holder) || !holder.isInitialized()) {
                continue;
            }
            Layout fields = runtimeLayouts.computeIfAbsent(type, t -> Layout.of(vm, holder, RUNTIME));
            if (fields == null) {
                runtimeLayouts.remove(type);
                continue;
            }
            RuntimeThread key = new RuntimeThread(type, thread.uniqueID());
            try {
                ObjectReference tasks = runtimeRunning.get(key);
                if (tasks == null && (tasks = fields.runningTasks(thread)) != null) {
                    if (runtimeRunning.size() > MAX_CACHED) {
                        runtimeRunning.clear();
                    }
                    runtimeRunning.put(key, tasks);
                }
                ObjectReference top = fields.top(tasks);
                if (top != null) {
                    return chain(top, fields, most, machineryLines);
                }
            } catch (ObjectCollectedException e) {
                runtimeRunning.remove(key);
            }
        }
        return List.of();
    }

    /** A thread's record in one copy of the runtime (a target may load it in several class loaders). */
    private record RuntimeThread(ReferenceType runtime, long thread) {
    }

    private List<AsyncSegment> chain(ObjectReference capture, Layout fields, int most, boolean machineryLines) {
        List<AsyncSegment> segments = new ArrayList<>();
        long now = System.currentTimeMillis();
        while (capture != null && segments.size() < most) {
            if (captures.size() > MAX_CACHED) {
                captures.clear();
            }
            ObjectReference current = capture;
            Decoded decoded = captures.computeIfAbsent(capture.uniqueID(), id -> decode(current, fields));
            List<Frame> frames = machineryLines ? withMachineryLines(decoded) : decoded.frames();
            segments.add(new AsyncSegment(decoded.kind(), decoded.thread(), Math.max(0, now - decoded.millis()), frames));
            capture = decoded.parent();
        }
        return segments;
    }

    /**
     * The thread's record of the tasks it runs: found in its thread-local map once, then kept, since the spy makes one
     * per thread and never replaces it.
     */
    private ObjectReference runningTasks(ThreadReference thread, Layout fields) {
        ObjectReference known = running.get(thread.uniqueID());
        if (known != null) {
            return known;
        }
        ObjectReference found = fields.runningTasks(thread);
        if (found != null) {
            if (running.size() > MAX_CACHED) {
                running.clear();
            }
            running.put(thread.uniqueID(), found);
        }
        return found;
    }

    /** A capture as read once: captures never change after they are made, so each is read from the target once. */
    private record Decoded(String kind, String thread, long millis, List<Frame> frames, int[] codeIndexes, ObjectReference parent) {
    }

    /** The decoded frames with the machinery's lines filled in from the kept bytecode indexes. */
    private List<Frame> withMachineryLines(Decoded decoded) {
        List<Frame> frames = new ArrayList<>(decoded.frames().size());
        for (Frame frame : decoded.frames()) {
            Location at = frame.location();
            if (at.line() < 0 && AsyncSegment.machinery(at)) {
                at = new Location(at.className(), at.method(), at.file(), line(at.className(), at.method(), decoded.codeIndexes()[frame.index()]));
                frame = new Frame(frame.index(), at, frame.nativeMethod());
            }
            frames.add(frame);
        }
        return List.copyOf(frames);
    }

    private Decoded decode(ObjectReference capture, Layout fields) {
        Map<Field, Value> values = capture.getValues(fields.captureFields);
        List<Frame> frames = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        int firstOwn = -1;
        if (fields.trace != null) {
            for (TraceReader.TraceFrame frame : traces.read((ObjectReference) values.get(fields.trace), fields.holder, fields.frames)) {
                boolean machinery = AsyncSegment.machinery(new Location(frame.className(), frame.methodName(), null, -1));
                int line = machinery ? -1 : line(frame.method(), frame.codeIndex());
                firstOwn = add(frames, indexes, new Location(frame.className(), frame.methodName(), sourceFile(frame.className()), line),
                        frame.codeIndex(), machinery, firstOwn);
            }
        } else {
            List<Value> classes = elements(values.get(fields.classes));
            List<Value> methods = elements(values.get(fields.methods));
            List<Value> codeIndexes = elements(values.get(fields.codeIndexes));
            int count = Math.min(classes.size(), Math.min(methods.size(), codeIndexes.size()));
            for (int i = 0; i < count; i++) {
                String className = text(classes.get(i));
                String method = text(methods.get(i));
                int codeIndex = codeIndexes.get(i) instanceof IntegerValue n ? n.value() : -1;
                // The machinery's lines are looked up only for `where full` (withMachineryLines): folded by default, and most of a
                // first read's cost (34 ms for two hand-offs).
                boolean machinery = className != null && AsyncSegment.machinery(new Location(className, method, null, -1));
                Location location = new Location(className, method, sourceFile(className), machinery ? -1 : line(className, method, codeIndex));
                firstOwn = add(frames, indexes, location, codeIndex, machinery, firstOwn);
            }
        }
        String kind = fields.kind != null && text(values.get(fields.kind)) instanceof String named ? named
                : frames.isEmpty() ? "?" : kind(frames.get(firstOwn > 0 ? firstOwn - 1 : firstOwn == 0 ? 0 : frames.size() - 1).location());
        String name = text(values.get(fields.threadName));
        boolean virtual = values.get(fields.virtual) instanceof BooleanValue b && b.value();
        long threadId = values.get(fields.threadId) instanceof LongValue id ? id.value() : -1;
        long millis = values.get(fields.millis) instanceof LongValue m ? m.value() : System.currentTimeMillis();
        String thread = (virtual ? "virtual#" + threadId + " " : "") + "\"" + (name == null ? "" : name) + "\"";
        return new Decoded(kind, thread, millis, List.copyOf(frames), indexes.stream().mapToInt(Integer::intValue).toArray(),
                (ObjectReference) values.get(fields.parent));
    }

    /** Adds a frame; returns the index of the first frame that is not the machinery's, as far as known. */
    private static int add(List<Frame> frames, List<Integer> indexes, Location location, int codeIndex, boolean machinery, int firstOwn) {
        frames.add(new Frame(frames.size(), location, false));
        indexes.add(codeIndex);
        return firstOwn < 0 && !machinery ? frames.size() - 1 : firstOwn;
    }

    private static int line(com.sun.jdi.Method method, int codeIndex) {
        if (method == null || codeIndex < 0 || method.isNative() || method.isAbstract()) {
            return -1;
        }
        com.sun.jdi.Location location = method.locationOfCodeIndex(codeIndex);
        return location != null && location.lineNumber() > 0 ? location.lineNumber() : -1;
    }

    /** The scheduling call a hand-off went through: the method the scheduling code called, {@code Thread.start} for threads. */
    private static String kind(Location api) {
        String method = api.method() == null ? "?" : api.method();
        String owner = api.className();
        if (owner.startsWith("java.lang.Thread") || owner.startsWith("java.lang.VirtualThread")) {
            return method.equals("start") ? "Thread.start" : method;
        }
        return method;
    }

    /**
     * The line of a bytecode index, from the class's line table in the debugger's JDI (read once per method). Overloads
     * share a name; the first whose code covers the index answers.
     */
    private int line(String className, String method, int codeIndex) {
        if (className == null || method == null || codeIndex < 0) {
            return -1;
        }
        if (lines.size() > MAX_CACHED) {
            lines.clear();
        }
        return lines.computeIfAbsent(className + "." + method + "@" + codeIndex, key -> {
            for (ReferenceType type : vm.classesByName(className)) {
                for (com.sun.jdi.Method candidate : type.methodsByName(method)) {
                    com.sun.jdi.Location location = candidate.isNative() || candidate.isAbstract() ? null : candidate.locationOfCodeIndex(codeIndex);
                    if (location != null && location.lineNumber() > 0) {
                        return location.lineNumber();
                    }
                }
            }
            return -1;
        });
    }

    private static List<Value> elements(Value array) {
        return array instanceof ArrayReference elements && elements.length() > 0 ? elements.getValues() : List.of();
    }

    private String text(Value value) {
        if (!(value instanceof StringReference string)) {
            return null;
        }
        if (strings.size() > MAX_CACHED) {
            strings.clear();
        }
        // The captured names are the JVM's own (Class.getName, interned method names): few distinct objects, read once.
        return strings.computeIfAbsent(string.uniqueID(), id -> string.value());
    }

    /** The source file of a class: asked of the target once for the application's classes, guessed for the JDK's. */
    private String sourceFile(String className) {
        if (className == null) {
            return null;
        }
        if (sourceFiles.size() > MAX_CACHED) {
            sourceFiles.clear();
        }
        return sourceFiles.computeIfAbsent(className, name -> {
            if (AsyncSegment.machinery(new Location(name, null, null, -1)) || name.startsWith("java.")) {
                String outer = name.substring(name.lastIndexOf('.') + 1);
                int nested = outer.indexOf('$');
                return (nested > 0 ? outer.substring(0, nested) : outer) + ".java";
            }
            for (ReferenceType type : vm.classesByName(name)) {
                try {
                    return type.sourceName();
                } catch (AbsentInformationException e) {
                    return "";
                }
            }
            return "";
        }).transform(file -> file.isEmpty() ? null : file);
    }

    private Layout layout() {
        Layout known = layout;
        if (known != null) {
            return known;
        }
        for (ReferenceType type : vm.classesByName(SPY)) {
            if (type.classLoader() == null && type instanceof ClassType spy && spy.isInitialized()) {
                Layout found = Layout.of(vm, spy, SPY);
                if (found != null) {
                    layout = found;
                }
                return found;
            }
        }
        return null;
    }

    /** The fields read, found once per target. */
    private record Layout(ObjectReference currentLocal, int currentHash, Field threadLocals, Field table, Field referent, Field entryValue,
                          Field stack, Field size, List<Field> captureFields, Field classes, Field methods, Field codeIndexes, Field trace,
                          Field parent, Field threadName, Field threadId, Field virtual, Field millis, Field kind, ReferenceType holder, int frames) {

        /**
         * The agent's spy and the runtime's TaskStacks share this shape: a static thread local {@code CURRENT} of a
         * {@code Running} (stack, size) of captures. The spy's {@code Capture} keeps the JVM's trace ({@code trace}, read
         * by {@link TraceReader}); the runtime's {@code HandOff} its frames' names ({@code classes}, {@code methods},
         * {@code codeIndexes}) and its {@code kind}.
         */
        static Layout of(VirtualMachine vm, ClassType holder, String holderName) {
            Field current = holder.fieldByName("CURRENT");
            if (current == null || !(holder.getValue(current) instanceof ObjectReference local)) {
                return null;
            }
            boolean runtime = holderName.equals(RUNTIME);
            ReferenceType threadLocal = type(vm, "java.lang.ThreadLocal");
            ReferenceType thread = type(vm, "java.lang.Thread");
            ReferenceType map = type(vm, "java.lang.ThreadLocal$ThreadLocalMap");
            ReferenceType entry = type(vm, "java.lang.ThreadLocal$ThreadLocalMap$Entry");
            ReferenceType reference = type(vm, "java.lang.ref.Reference");
            ReferenceType running = sibling(vm, holder, holderName + "$Running");
            ReferenceType capture = sibling(vm, holder, holderName + (runtime ? "$HandOff" : "$Capture"));
            if (threadLocal == null || thread == null || map == null || entry == null || reference == null || running == null || capture == null) {
                return null;
            }
            int hash = local.getValue(threadLocal.fieldByName("threadLocalHashCode")) instanceof IntegerValue h ? h.value() : 0;
            List<String> names = new ArrayList<>(runtime ? List.of("classes", "methods", "codeIndexes") : List.of("trace"));
            int named = names.size();
            names.addAll(List.of("parent", "thread", "threadId", "virtual", "millis"));
            List<Field> captureFields = new ArrayList<>();
            for (String name : names) {
                Field field = capture.fieldByName(name);
                if (field == null) {
                    return null;
                }
                captureFields.add(field);
            }
            Field kind = runtime ? capture.fieldByName("kind") : null;
            if (kind != null) {
                captureFields.add(kind);
            }
            return new Layout(local, hash, thread.fieldByName("threadLocals"), map.fieldByName("table"), reference.fieldByName("referent"),
                    entry.fieldByName("value"), running.fieldByName("stack"), running.fieldByName("size"), captureFields,
                    runtime ? captureFields.get(0) : null, runtime ? captureFields.get(1) : null, runtime ? captureFields.get(2) : null,
                    runtime ? null : captureFields.get(0), captureFields.get(named), captureFields.get(named + 1), captureFields.get(named + 2),
                    captureFields.get(named + 3), captureFields.get(named + 4), kind, holder, runtime ? Integer.MAX_VALUE : framesKept(holder));
        }

        /** The frames the spy keeps per capture (its settings' {@code frames}), 16 when they cannot be read. */
        private static int framesKept(ClassType spy) {
            Field settings = spy.fieldByName("settings");
            if (settings != null && spy.getValue(settings) instanceof ObjectReference kept
                    && kept.getValue(kept.referenceType().fieldByName("frames")) instanceof IntegerValue frames) {
                return frames.value();
            }
            return 16;
        }

        /** A class of the holder's own class loader (the boot loader for the agent's spy). */
        private static ReferenceType sibling(VirtualMachine vm, ReferenceType holder, String name) {
            for (ReferenceType type : vm.classesByName(name)) {
                if (java.util.Objects.equals(type.classLoader(), holder.classLoader())) {
                    return type;
                }
            }
            return null;
        }

        private static ReferenceType type(VirtualMachine vm, String name) {
            for (ReferenceType type : vm.classesByName(name)) {
                if (type.classLoader() == null) {
                    return type;
                }
            }
            return null;
        }

        /** The spy's record of the tasks {@code thread} runs: its entry in the thread-local map, found as ThreadLocal.get finds it. */
        ObjectReference runningTasks(ThreadReference thread) {
            if (!(thread.getValue(threadLocals) instanceof ObjectReference locals)
                    || !(locals.getValue(table) instanceof ArrayReference entries) || entries.length() == 0) {
                return null;
            }
            int length = entries.length();
            for (int probe = 0, i = currentHash & (length - 1); probe < length; probe++, i = (i + 1) & (length - 1)) {
                if (!(entries.getValue(i) instanceof ObjectReference found)) {
                    return null;
                }
                Map<Field, Value> values = found.getValues(List.of(referent, entryValue));
                if (currentLocal.equals(values.get(referent))) {
                    return values.get(entryValue) instanceof ObjectReference runningTasks ? runningTasks : null;
                }
            }
            return null;
        }

        /** The innermost capture of the tasks running, or null. */
        ObjectReference top(ObjectReference runningTasks) {
            if (runningTasks == null) {
                return null;
            }
            Map<Field, Value> values = runningTasks.getValues(List.of(stack, size));
            int count = values.get(size) instanceof IntegerValue n ? n.value() : 0;
            if (count <= 0 || !(values.get(stack) instanceof ArrayReference captures)) {
                return null;
            }
            List<Value> kept = captures.getValues(0, Math.min(count, captures.length()));
            for (int i = kept.size() - 1; i >= 0; i--) {
                if (kept.get(i) instanceof ObjectReference capture) {
                    return capture;
                }
            }
            return null;
        }
    }
}
