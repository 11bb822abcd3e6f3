package dev.sonde.agent.spy;

import java.lang.ref.ReferenceQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the JDK's scheduling points call once the async-stack transformer has rewritten them. It is on the boot class
 * path (its name starts with {@code SondeSpy}, so the spy jar carries it), since the callers are java.base classes.
 *
 * <p>A hand-off is captured where work is scheduled ({@link #capture}: a stage or task is made, a thread is started),
 * kept in a weak table keyed by the task object, and made the thread's current capture where the task begins to run
 * ({@link #begin}/{@link #end}, {@link #run}, {@link #call}). A capture made while another is current chains to it.
 *
 * <p>The debugger reads the current capture of a stopped thread with JDWP field reads alone: the static
 * {@link #CURRENT} thread local in the thread's {@code threadLocals} map, then the fields of {@link Capture}. Those
 * names are read by name in {@code dev.sonde.jdi.asyncstacks}; renaming them breaks the reader.
 */
public final class SondeSpyAsync {

    /**
     * One hand-off: where the work was scheduled, on which thread, when, and the capture current there. The frames are
     * the JVM's own trace of the scheduling thread ({@link Trace}), which the debugger reads with JDWP field reads and
     * names through {@link SondeSpyMethodNames}; its first frames are the spy's own, which the reader skips.
     */
    public static final class Capture {
        final Throwable trace;
        final Capture parent;
        final String thread;
        final long threadId;
        final boolean virtual;
        final long millis;
        final int depth;

        Capture(Throwable trace, Capture parent, Thread thread, long millis) {
            this.trace = trace;
            this.parent = parent;
            this.thread = thread.getName();
            this.threadId = thread.getId();
            this.virtual = VIRTUAL != null && thread.getClass() == VIRTUAL;
            this.millis = millis;
            this.depth = parent == null ? 1 : parent.depth + 1;
        }

        private Capture(Capture copy, Capture parent) {
            this.trace = copy.trace;
            this.parent = parent;
            this.thread = copy.thread;
            this.threadId = copy.threadId;
            this.virtual = copy.virtual;
            this.millis = copy.millis;
            this.depth = parent == null ? 1 : parent.depth + 1;
        }

        /** This chain with only its first {@code keep} captures (copies of them; the originals stay as they were). */
        Capture cut(int keep) {
            return keep <= 1 || parent == null ? new Capture(this, null) : new Capture(this, parent.cut(keep - 1));
        }

        public int depth() {
            return depth;
        }

        public Capture parent() {
            return parent;
        }

        public String threadName() {
            return thread;
        }

        /** {@code class.method@bci} of each kept frame below the spy's own, the innermost first (for the agent's own tests). */
        public String[] frames() {
            Object[] backtrace = SondeSpyMethodNames.backtrace(trace);
            int own = 0;
            while (SondeSpyMethodNames.classAt(backtrace, own) == SondeSpyAsync.class) {
                own++;
            }
            return SondeSpyMethodNames.describe(trace, own, settings.frames);
        }
    }

    /**
     * The trace a capture keeps: filled in by the JVM as it is made (its constructor frames are left out by the JVM), no
     * message, no suppressed list. It is never thrown.
     */
    static final class Trace extends Throwable {
        Trace() {
            super(null, null, false, true);
        }
    }

    /** The settings capture runs with; replaced as a whole. */
    public static final class Settings {
        final int frames;
        final int depth;
        final int fullPerSecond;
        final int sampleOneIn;

        /**
         * @param frames        frames kept per capture (at most 29: the trace's first chunk, less the spy's own frames)
         * @param depth         hand-offs kept per chain; older ones are cut off
         * @param fullPerSecond captures a second taken in full; past that only one in {@code sampleOneIn}
         * @param sampleOneIn   the sampling rate once over the cap
         */
        public Settings(int frames, int depth, int fullPerSecond, int sampleOneIn) {
            this.frames = Math.max(1, Math.min(frames, SondeSpyMethodNames.CHUNK - OWN_FRAMES - 1));
            this.depth = Math.max(1, depth);
            this.fullPerSecond = Math.max(0, fullPerSecond);
            this.sampleOneIn = Math.max(1, sampleOneIn);
        }
    }

    static final Class<?> VIRTUAL = virtualThreadClass();

    /** The capture of the task the thread is running now; read by the debugger. */
    static final ThreadLocal<Running> CURRENT = new ThreadLocal<>();

    private static final ConcurrentHashMap<Object, Capture> TASKS = new ConcurrentHashMap<>();
    private static final ReferenceQueue<Object> GONE = new ReferenceQueue<>();
    /** The spy's frames on top of every trace: {@code walk} and {@code capture} or {@code captureStart}. */
    private static final int OWN_FRAMES = 2;
    private static final long WINDOW_NANOS = 100_000_000L;

    private static volatile boolean enabled;
    private static volatile Settings settings = new Settings(16, 8, 20_000, 64);
    private static long windowStart;
    private static int inWindow;
    private static int skipped;
    private static long captured;
    private static long sampledOut;

    private SondeSpyAsync() {
    }

    /** Starts capturing; refused, with the reason, when this JVM's stack traces cannot be read (not HotSpot). */
    public static void enable(Settings newSettings) {
        String refused = SondeSpyMethodNames.open();
        if (refused != null) {
            throw new IllegalStateException("Async stacks are off: " + refused + ".");
        }
        settings = newSettings;
        enabled = true;
    }

    /** Stops capturing; captures made so far stay until their tasks are gone. */
    public static void disable() {
        enabled = false;
    }

    public static boolean enabled() {
        return enabled;
    }

    /** Captures made and captures skipped by sampling since start (approximate under contention). */
    public static long[] counts() {
        return new long[] {captured, sampledOut};
    }

    /** Live entries of the task table (after dropping those whose task is gone). */
    public static int tableSize() {
        drain();
        return TASKS.size();
    }

    /** The capture current on this thread, or null. */
    public static Capture current() {
        Running running = CURRENT.get();
        return running == null ? null : running.top();
    }

    /** The capture kept for a task, or null. */
    public static Capture captureOf(Object task) {
        return task == null ? null : TASKS.get(new SondeSpyWeakKey.Lookup(task));
    }

    /** {@code own} chained to {@code parent} instead of its own parent, cut at the kept depth (for {@link SondeSpyAsyncRelays}). */
    static Capture withParent(Capture own, Capture parent) {
        int depth = settings.depth;
        if (depth <= 1) {
            return own;
        }
        return new Capture(own, parent.depth >= depth ? parent.cut(depth - 1) : parent);
    }

    /**
     * {@code stage}, begun on this thread, chains to {@code parent} (for {@link SondeSpyAsyncRelays}). A stage with no
     * capture of its own (sampled out) takes {@code parent} as its capture, so that {@link #end(Object)} finds it too.
     */
    static void joined(Object stage, Capture parent) {
        Running running = CURRENT.get();
        if (running != null && running.size > 0 && running.tasks[running.size - 1] == stage) {
            running.stack[running.size - 1] = withParent(running.stack[running.size - 1], parent);
            return;
        }
        if (stage == null) {
            return;
        }
        TASKS.putIfAbsent(new SondeSpyWeakKey(stage, GONE), parent);
        if (running == null) {
            running = new Running();
            CURRENT.set(running);
        }
        running.push(stage, parent);
    }

    /** Records where {@code task} is being scheduled, unless a capture is already kept for it. */
    public static void capture(Object task) {
        if (!enabled || task == null) {
            return;
        }
        try {
            if (TASKS.containsKey(new SondeSpyWeakKey.Lookup(task)) || !admitted()) {
                return;
            }
            Capture capture = walk(Thread.currentThread(), false);
            if (capture != null) {
                drain();
                TASKS.put(new SondeSpyWeakKey(task, GONE), capture);
            }
        } catch (Throwable e) {
            // capture is best effort: the application's own work goes on whatever happens here
        }
    }

    /** {@link #capture} for {@code Thread.start}, skipping the threads executors start for their own workers. */
    public static void captureStart(Thread started) {
        if (!enabled || started == null) {
            return;
        }
        try {
            if (TASKS.containsKey(new SondeSpyWeakKey.Lookup(started)) || !admitted()) {
                return;
            }
            Capture capture = walk(Thread.currentThread(), true);
            if (capture != null) {
                drain();
                TASKS.put(new SondeSpyWeakKey(started, GONE), capture);
            }
        } catch (Throwable e) {
            // best effort, as in capture
        }
    }

    /**
     * Makes the capture of {@code task} current on this thread until the matching {@link #end(Object)}. A task with no
     * capture changes nothing, and does not touch the thread's locals: a fresh virtual thread would otherwise get a
     * thread-local map just to record that it has nothing to show.
     */
    public static void begin(Object task) {
        try {
            Capture capture = task == null || TASKS.isEmpty() ? null : TASKS.get(new SondeSpyWeakKey.Lookup(task));
            if (capture == null) {
                return;
            }
            Running running = CURRENT.get();
            if (running == null) {
                running = new Running();
                CURRENT.set(running);
            }
            running.push(task, capture);
        } catch (Throwable e) {
            // a thread that refuses thread locals runs without captures
        }
    }

    /** Ends what {@link #begin} made current for {@code task}, and what tasks begun inside it left (an exception skips their end). */
    public static void end(Object task) {
        try {
            if (task == null || TASKS.isEmpty() || !TASKS.containsKey(new SondeSpyWeakKey.Lookup(task))) {
                return;
            }
            Running running = CURRENT.get();
            if (running != null) {
                running.popTo(task);
            }
        } catch (Throwable e) {
            // as in begin
        }
    }

    /** The innermost capture made current ends, whichever task it belongs to; {@link #end(Object)} is exact. */
    @Deprecated
    public static void end() {
        try {
            Running running = CURRENT.get();
            if (running != null && running.size > 0) {
                running.size--;
                running.stack[running.size] = null;
                running.tasks[running.size] = null;
            }
        } catch (Throwable e) {
            // as in begin
        }
    }

    /** Runs a task with its capture current: replaces {@code task.run()} where executors run tasks. */
    public static void run(Runnable task) {
        int mark = mark();
        begin(task);
        try {
            task.run();
        } finally {
            resetTo(mark);
        }
    }

    /** {@link #run} for a {@code Callable}. */
    public static Object call(java.util.concurrent.Callable<?> task) throws Exception {
        int mark = mark();
        begin(task);
        try {
            return task.call();
        } finally {
            resetTo(mark);
        }
    }

    private static int mark() {
        try {
            Running running = CURRENT.get();
            return running == null ? 0 : running.size;
        } catch (Throwable e) {
            return 0;
        }
    }

    /** Drops what a task left current, also what a {@link #begin} whose {@link #end} an exception skipped left. */
    private static void resetTo(int mark) {
        try {
            Running running = CURRENT.get();
            while (running != null && running.size > mark) {
                running.size--;
                running.stack[running.size] = null;
                running.tasks[running.size] = null;
            }
        } catch (Throwable e) {
            // as in begin
        }
    }

    /** The captures of the tasks running on one thread, the innermost last; read by the debugger ({@code stack}, {@code size}). */
    static final class Running {
        Capture[] stack = new Capture[4];
        Object[] tasks = new Object[4];
        int size;

        void push(Object task, Capture capture) {
            if (size == stack.length) {
                stack = java.util.Arrays.copyOf(stack, size * 2);
                tasks = java.util.Arrays.copyOf(tasks, size * 2);
            }
            tasks[size] = task;
            stack[size++] = capture;
        }

        /** Drops the innermost entry of {@code task} and those above it; nothing when the task has none. */
        void popTo(Object task) {
            for (int i = size - 1; i >= 0; i--) {
                if (tasks[i] == task) {
                    while (size > i) {
                        size--;
                        stack[size] = null;
                        tasks[size] = null;
                    }
                    return;
                }
            }
        }

        Capture top() {
            return size == 0 ? null : stack[size - 1];
        }
    }

    /**
     * Whether this capture is taken: all of them up to the per-second cap, then one in {@code sampleOneIn}. The counters
     * are plain fields on purpose: a lost update under contention only shifts the cap a little.
     */
    private static boolean admitted() {
        Settings current = settings;
        long now = System.nanoTime();
        if (now - windowStart > WINDOW_NANOS) {
            windowStart = now;
            inWindow = 0;
        }
        if (++inWindow <= current.fullPerSecond / 10) {
            return true;
        }
        if (++skipped % current.sampleOneIn == 0) {
            return true;
        }
        sampledOut++;
        return false;
    }

    /**
     * The JVM's trace of this thread below the spy, its first frames' names made known; null for a thread a pool starts
     * as its own worker.
     */
    private static Capture walk(Thread thread, boolean threadStart) {
        Settings current = settings;
        Trace trace = new Trace();
        Object[] backtrace = SondeSpyMethodNames.backtrace(trace);
        if (threadStart && startedByExecutor(backtrace)) {
            return null;
        }
        SondeSpyMethodNames.cover(backtrace, current.frames + OWN_FRAMES);
        Capture parent = current();
        if (parent != null && parent.depth >= current.depth) {
            parent = parent.cut(current.depth - 1);
        }
        captured++;
        return new Capture(trace, current.depth <= 1 ? null : parent, thread, System.currentTimeMillis());
    }

    /** Threads a pool starts as its workers: the tasks they run are captured one by one instead. */
    private static boolean startedByExecutor(Object[] backtrace) {
        for (int i = 0; ; i++) {
            Class<?> frame = SondeSpyMethodNames.classAt(backtrace, i);
            if (frame == null) {
                return false;
            }
            String name = frame.getName();
            if (frame == SondeSpyAsync.class || name.startsWith("java.lang.Thread") || name.startsWith("java.lang.VirtualThread")
                    || name.startsWith("jdk.internal.")) {
                continue;
            }
            // ThreadPoolExecutor starts threads in addWorker alone
            return name.startsWith("java.util.concurrent.ForkJoinPool") || name.equals("java.util.concurrent.ThreadPoolExecutor");
        }
    }

    private static void drain() {
        java.lang.ref.Reference<?> gone;
        while ((gone = GONE.poll()) != null) {
            TASKS.remove(gone);
        }
    }

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.VirtualThread", false, null);
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
