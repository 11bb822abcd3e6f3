package dev.sonde.runtime.threads;

import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.settings.Settings;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Set;

/**
 * Async stacks without the Sonde agent: where tasks of wrapped executors and {@code trackAsync} operations were handed
 * off, recorded when {@code tasks.captureStacks} is on (OFF by default, then one volatile read per hand-off).
 *
 * <p>A {@link HandOff} is made where work is handed off and kept by the task (it lives as long as the task); while the
 * task runs it is the innermost entry of its thread's {@link #CURRENT} record, and a hand-off made there chains to it,
 * cut at {@code tasks.handOffDepth}. The debugger reads a stopped thread's chain with JDWP field reads alone: the
 * {@code CURRENT} thread local in the thread's {@code threadLocals} map, then the fields of {@link HandOff}. Those names
 * are read by name in {@code dev.sonde.jdi.asyncstacks}; renaming them breaks the reader.
 */
public final class TaskStacks {

    /**
     * One hand-off: how it was made ({@code submit}, {@code execute}, {@code trackAsync("orders.load")}), where (class,
     * method and bytecode index of each frame, innermost first; the debugger maps an index to its line, which is far
     * cheaper than asking the JVM for lines here), on which thread, when, and the hand-off current there.
     */
    public static final class HandOff {
        final String kind;
        final String[] classes;
        final String[] methods;
        final int[] codeIndexes;
        final HandOff parent;
        final String thread;
        final long threadId;
        final boolean virtual;
        final long millis;
        final int depth;

        HandOff(String kind, String[] classes, String[] methods, int[] codeIndexes, HandOff parent, Thread thread, long millis) {
            this.kind = kind;
            this.classes = classes;
            this.methods = methods;
            this.codeIndexes = codeIndexes;
            this.parent = parent;
            this.thread = thread.getName();
            this.threadId = thread.getId();
            this.virtual = VIRTUAL != null && thread.getClass() == VIRTUAL;
            this.millis = millis;
            this.depth = parent == null ? 1 : parent.depth + 1;
        }

        private HandOff(HandOff copy, HandOff parent) {
            this.kind = copy.kind;
            this.classes = copy.classes;
            this.methods = copy.methods;
            this.codeIndexes = copy.codeIndexes;
            this.parent = parent;
            this.thread = copy.thread;
            this.threadId = copy.threadId;
            this.virtual = copy.virtual;
            this.millis = copy.millis;
            this.depth = parent == null ? 1 : parent.depth + 1;
        }

        /** This chain with only its first {@code keep} hand-offs (copies; the originals stay as they were). */
        HandOff cut(int keep) {
            return keep <= 1 || parent == null ? new HandOff(this, null) : new HandOff(this, parent.cut(keep - 1));
        }

        public String kind() {
            return kind;
        }

        public HandOff parent() {
            return parent;
        }

        /** Hand-offs in the chain from this one back, this one included. */
        public int depth() {
            return depth;
        }

        public String threadName() {
            return thread;
        }

        /** {@code class.method@bci} of each kept frame, the innermost first. */
        public String[] frames() {
            String[] frames = new String[classes.length];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = classes[i] + "." + methods[i] + "@" + codeIndexes[i];
            }
            return frames;
        }
    }

    /**
     * The hand-offs of the tasks running on one thread, the innermost last (read by the debugger), and the operation
     * a {@code trackAsync} on this thread is starting, which hand-offs made meanwhile chain to.
     */
    public static final class Running {
        HandOff[] stack = new HandOff[4];
        int size;
        HandOff[] enclosingBefore = new HandOff[4];
        HandOff enclosing;

        void push(HandOff handOff) {
            if (size == stack.length) {
                stack = Arrays.copyOf(stack, size * 2);
                enclosingBefore = Arrays.copyOf(enclosingBefore, size * 2);
            }
            enclosingBefore[size] = enclosing;
            enclosing = null;
            stack[size++] = handOff;
        }

        void pop() {
            if (size > 0) {
                size--;
                stack[size] = null;
                enclosing = enclosingBefore[size];
                enclosingBefore[size] = null;
            }
        }

        HandOff top() {
            return size == 0 ? null : stack[size - 1];
        }

        /** What a hand-off made now chains to. */
        HandOff parent() {
            return enclosing != null ? enclosing : top();
        }
    }

    static final Class<?> VIRTUAL = virtualThreadClass();

    /** The hand-offs of the tasks the thread runs; read by the debugger. */
    static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();

    private static final StackWalker WALKER = StackWalker.getInstance(EnumSet.noneOf(StackWalker.Option.class));
    /** The runtime's entry points, left out of the top of a hand-off's frames. */
    private static final Set<String> ENTRY_CLASSES = Set.of(TaskStacks.class.getName(),
            "dev.sonde.runtime.resources.tasks.TrackedExecutor", "dev.sonde.runtime.resources.tasks.TrackedExecutorService",
            "dev.sonde.runtime.resources.tasks.TrackedTask", "dev.sonde.runtime.operations.OperationTracker",
            "dev.sonde.runtime.operations.Operations");
    private static final String OPERATION_TRACKER = "dev.sonde.runtime.operations.OperationTracker";

    /** Null while {@code tasks.captureStacks} is OFF: the only read a hand-off makes then. */
    private volatile Limits limits;

    private record Limits(StackCapture mode, int samplingInterval, int frames, int depth) {
        static Limits of(Settings settings) {
            StackCapture mode = settings.get(Setting.TASKS_CAPTURE_STACKS);
            return mode == StackCapture.OFF ? null : new Limits(mode, settings.get(Setting.STACKS_SAMPLING_INTERVAL),
                    settings.get(Setting.STACKS_MAX_DEPTH), settings.get(Setting.TASKS_HAND_OFF_DEPTH));
        }
    }

    public TaskStacks(RuntimeSettings settings) {
        this.limits = Limits.of(settings.current());
        settings.onChange(changed -> limits = Limits.of(changed));
    }

    /**
     * Records the hand-off being made on this thread, or returns null (capture off, or not sampled). The runtime's own
     * frames on top are left out; {@code kind} names the hand-off unless a JDK scheduling call (such as {@code submit}
     * or {@code supplyAsync}) made it.
     */
    public HandOff capture(String kind) {
        Limits current = limits;
        if (current == null || !current.mode.shouldCapture(current.samplingInterval)) {
            return null;
        }
        try {
            return walk(kind, current);
        } catch (RuntimeException | LinkageError e) {
            // best effort: the application's work goes on whatever happens here
            return null;
        }
    }

    /** Makes a task's hand-off current on this thread while the task runs; give the result to {@link #end}. */
    public static Running begin(HandOff handOff) {
        Running running = CURRENT.get();
        if (running == null) {
            running = new Running();
            CURRENT.set(running);
        }
        running.push(handOff);
        return running;
    }

    /** Undoes {@link #begin}. */
    public static void end(Running running) {
        running.pop();
    }

    /**
     * Makes an operation's hand-off the one that hand-offs made on this thread chain to, until {@link #leave} with the
     * result; the operation's work runs on this thread, so it is not shown as a hand-off of the thread itself.
     */
    public static HandOff enter(HandOff operation) {
        Running running = CURRENT.get();
        if (running == null) {
            running = new Running();
            CURRENT.set(running);
        }
        HandOff before = running.enclosing;
        running.enclosing = operation;
        return before;
    }

    /** Undoes {@link #enter}. */
    public static void leave(HandOff before) {
        Running running = CURRENT.get();
        if (running != null) {
            running.enclosing = before;
        }
    }

    /** The hand-off of the innermost task running on this thread, or null. */
    public static HandOff current() {
        Running running = CURRENT.get();
        return running == null ? null : running.top();
    }

    private static HandOff walk(String kind, Limits limits) {
        Running running = CURRENT.get();
        HandOff parent = running == null ? null : running.parent();
        // frames below an enclosing trackAsync on this thread are that operation's own, already in its hand-off
        boolean cutAtOperation = running != null && running.enclosing != null;
        int limit = limits.frames;
        String[] classes = new String[limit];
        String[] methods = new String[limit];
        int[] codeIndexes = new int[limit];
        int[] count = new int[1];
        WALKER.walk(frames -> {
            // a plain loop: streams of lambdas cost several times more until the JIT has compiled them all
            Iterator<StackWalker.StackFrame> walked = frames.iterator();
            boolean top = true;
            while (walked.hasNext() && count[0] < limit) {
                StackWalker.StackFrame frame = walked.next();
                String className = frame.getClassName();
                if (top && isEntry(className)) {
                    continue;
                }
                top = false;
                String method = frame.getMethodName();
                if (cutAtOperation && className.equals(OPERATION_TRACKER) && method.equals("trackAsync")) {
                    break;
                }
                int index = count[0]++;
                classes[index] = className;
                methods[index] = method;
                codeIndexes[index] = frame.getByteCodeIndex();
            }
            return null;
        });
        int kept = count[0];
        if (parent != null && parent.depth >= limits.depth) {
            parent = parent.cut(limits.depth - 1);
        }
        return new HandOff(kindOf(kind, classes, methods, kept),
                kept < limit ? Arrays.copyOf(classes, kept) : classes,
                kept < limit ? Arrays.copyOf(methods, kept) : methods,
                kept < limit ? Arrays.copyOf(codeIndexes, kept) : codeIndexes,
                limits.depth <= 1 ? null : parent, Thread.currentThread(), System.currentTimeMillis());
    }

    /** The JDK call the caller handed the work to (the last JDK frame before the caller's own), else {@code kind}. */
    private static String kindOf(String kind, String[] classes, String[] methods, int count) {
        String jdkCall = null;
        for (int i = 0; i < count; i++) {
            String name = classes[i];
            if (!name.startsWith("java.util.concurrent.") && !name.startsWith("java.lang.Thread") && !name.startsWith("jdk.internal.")) {
                return jdkCall == null ? kind : jdkCall;
            }
            jdkCall = methods[i];
        }
        return kind;
    }

    private static boolean isEntry(String className) {
        int nested = className.indexOf('$');
        return ENTRY_CLASSES.contains(nested < 0 ? className : className.substring(0, nested));
    }

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.VirtualThread", false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
