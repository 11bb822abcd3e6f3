package dev.sonde.agent.spy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.EnumSet;
import java.util.List;

/**
 * The names of the methods in async-stack captures. A capture keeps the JVM's own compact trace of the scheduling
 * thread (a {@code Throwable}: HotSpot fills its {@code backtrace} with each frame's class, method id number and
 * bytecode index without resolving a single name, the cheapest truthful capture there is), and the debugger reads those
 * arrays with JDWP field reads. What a method id number stands for is private to the JVM, so this table says it: per
 * class, the name and descriptor of each method id seen in a capture, learnt from one {@code StackWalker} walk the first
 * time a capture holds a method not seen before (a steady service pays for that walk a few hundred times in all).
 *
 * <p>The debugger reads {@link #tables}, {@link #count} and the fields of {@link Table} by name
 * ({@code dev.sonde.jdi.asyncstacks}); renaming them breaks the reader. The backtrace's layout (method ids, bytecode
 * indexes shifted 16 bits up, class mirrors, at 0, 1 and 2) is HotSpot's from JDK 9 to 25; {@link #open} checks it.
 */
public final class SondeSpyMethodNames {

    static final int METHOD_IDS = 0;
    static final int CODE_INDEXES = 1;
    static final int MIRRORS = 2;
    /** Frames in the backtrace's first chunk: captures keep at most this many. */
    static final int CHUNK = 32;

    /** One class's method names and descriptors by method id number; the arrays are replaced whole as they grow. */
    static final class Table {
        final String className;
        final WeakReference<Class<?>> type;
        volatile String[] names = new String[0];
        volatile String[] descriptors = new String[0];

        Table(Class<?> type) {
            this.className = type.getName();
            this.type = new WeakReference<>(type);
        }

        boolean knows(int id) {
            String[] known = names;
            return id < known.length && known[id] != null;
        }

        synchronized void learn(int id, String name, String descriptor) {
            if (knows(id)) {
                return;
            }
            String[] newNames = java.util.Arrays.copyOf(names, Math.max(names.length, id + 1));
            String[] newDescriptors = java.util.Arrays.copyOf(descriptors, newNames.length);
            newNames[id] = name;
            newDescriptors[id] = descriptor;
            descriptors = newDescriptors;
            names = newNames;
        }
    }

    /** Every class's table, the first {@link #count} entries used; read by the debugger. */
    static volatile Table[] tables = new Table[64];
    static volatile int count;

    private static final ClassValue<Table> BY_CLASS = new ClassValue<>() {
        @Override
        protected Table computeValue(Class<?> type) {
            Table table = new Table(type);
            add(table);
            return table;
        }
    };
    private static final StackWalker WALKER = StackWalker.getInstance(
            EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES));
    private static volatile VarHandle backtrace;
    /** Walks made to learn names, and those that taught nothing (the stack did not line up). */
    static long walks;
    static long fruitless;

    private SondeSpyMethodNames() {
    }

    /**
     * Gets at {@code Throwable.backtrace} (the agent has opened {@code java.lang} to this class's module) and checks that
     * it has the layout read here; the reason it cannot, or null.
     */
    static String open() {
        try {
            VarHandle handle = MethodHandles.privateLookupIn(Throwable.class, MethodHandles.lookup())
                    .findVarHandle(Throwable.class, "backtrace", Object.class);
            Throwable probe = new Throwable();
            if (!(handle.get(probe) instanceof Object[] trace) || trace.length <= MIRRORS || !(trace[METHOD_IDS] instanceof short[])
                    || !(trace[CODE_INDEXES] instanceof int[] indexes) || !(trace[MIRRORS] instanceof Object[] mirrors)
                    || mirrors[0] != SondeSpyMethodNames.class || indexes.length < CHUNK) {
                return "this JVM keeps its stack traces in a layout Sonde does not know (it reads HotSpot's, JDK 17 to 25)";
            }
            backtrace = handle;
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "this JVM does not let the agent read its stack traces (" + e.getMessage() + ")";
        }
    }

    /** The backtrace of a trace made with writable stack trace on (not null once {@link #open} succeeded). */
    static Object[] backtrace(Throwable trace) {
        return (Object[]) backtrace.get(trace);
    }

    /** Makes sure the names of the first {@code limit} frames of {@code trace} are known: learns them when one is not. */
    static void cover(Object[] trace, int limit) {
        short[] ids = (short[]) trace[METHOD_IDS];
        Object[] mirrors = (Object[]) trace[MIRRORS];
        int frames = Math.min(limit, Math.min(CHUNK, mirrors.length));
        for (int i = 0; i < frames; i++) {
            Object mirror = mirrors[i];
            if (mirror == null) {
                return;
            }
            if (!BY_CLASS.get((Class<?>) mirror).knows(ids[i])) {
                learn(ids, (int[]) trace[CODE_INDEXES], mirrors, frames);
                return;
            }
        }
    }

    /**
     * Pairs the trace's frames with a walk of the same stack (this class's own frames skipped): a frame of the trace whose
     * class and, below the capturing method, bytecode index match the walk's gets the walk's name and descriptor. The
     * capturing method itself ran on between the two, so only its class is compared. A stack that does not line up
     * teaches nothing this time.
     */
    private static void learn(short[] ids, int[] codeIndexes, Object[] mirrors, int frames) {
        walks++;
        List<StackWalker.StackFrame> walked = WALKER.walk(stack -> stack.dropWhile(frame -> frame.getDeclaringClass() == SondeSpyMethodNames.class)
                .limit(frames).toList());
        for (int i = 0; i < walked.size() && mirrors[i] != null; i++) {
            StackWalker.StackFrame frame = walked.get(i);
            if (frame.getDeclaringClass() != mirrors[i] || i > 0 && frame.getByteCodeIndex() != codeIndexes[i] >>> 16) {
                fruitless++;
                return;
            }
            BY_CLASS.get(frame.getDeclaringClass()).learn(ids[i], frame.getMethodName(), frame.getDescriptor());
        }
    }

    /** {@code class.method@bci} of the frames of {@code trace} from {@code from} on, at most {@code limit} (for the agent's own tests). */
    static String[] describe(Throwable trace, int from, int limit) {
        Object[] backtrace = backtrace(trace);
        short[] ids = (short[]) backtrace[METHOD_IDS];
        int[] codeIndexes = (int[]) backtrace[CODE_INDEXES];
        Object[] mirrors = (Object[]) backtrace[MIRRORS];
        java.util.ArrayList<String> frames = new java.util.ArrayList<>();
        for (int i = from; i < Math.min(CHUNK, mirrors.length) && mirrors[i] != null && frames.size() < limit; i++) {
            Table table = BY_CLASS.get((Class<?>) mirrors[i]);
            String[] names = table.names;
            frames.add(table.className + "." + (ids[i] < names.length && names[ids[i]] != null ? names[ids[i]] : "?") + "@" + (codeIndexes[i] >>> 16));
        }
        return frames.toArray(new String[0]);
    }

    /** The class of frame {@code i} of a backtrace, or null past its end. */
    static Class<?> classAt(Object[] trace, int i) {
        Object[] mirrors = (Object[]) trace[MIRRORS];
        return i < Math.min(CHUNK, mirrors.length) ? (Class<?>) mirrors[i] : null;
    }

    /** Walks made to learn names and those that taught nothing, since start (approximate under contention). */
    public static long[] walks() {
        return new long[] {walks, fruitless};
    }

    private static synchronized void add(Table table) {
        Table[] current = tables;
        int used = count;
        if (used == current.length) {
            Table[] kept = new Table[current.length * 2];
            int live = 0;
            for (int i = 0; i < used; i++) {
                if (current[i].type.get() != null) {
                    kept[live++] = current[i];
                }
            }
            current = kept;
            used = live;
            tables = current;
        }
        current[used] = table;
        count = used + 1;
    }
}
