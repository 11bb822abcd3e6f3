package dev.sonde.core.session;

import dev.sonde.core.backend.Backend;
import dev.sonde.core.backend.Connector;
import dev.sonde.core.backend.StepKind;
import dev.sonde.core.backend.TargetInfo;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.classes.ClassList;
import dev.sonde.core.classes.ClassMethods;
import dev.sonde.core.classes.ClassPattern;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Completion;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.StepTarget;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThrowableInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.stats.SessionStatistics;
import dev.sonde.core.stats.SessionStats;

import java.time.Duration;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One debugging session with one target: its state, its breakpoints, its event stream and its statistics.
 *
 * <p>The API is asynchronous underneath ({@link #async()}); the methods on this class are blocking
 * conveniences that wait at most {@link SessionOptions#requestTimeout()} and throw {@link SondeException}.
 *
 * <p>Events are delivered to subscribers in order, one at a time. The session's state changes the
 * moment an event arrives, before any subscriber sees it, so {@link #awaitStop} never misses a stop.
 * Sessions share nothing: a failure in one cannot disturb another. Every session is published over JMX
 * for the dashboard ({@link SessionPublisher}).
 */
public final class Session implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final AtomicLong IDS = new AtomicLong();

    private final String id;
    private final String name;
    private final SessionOptions options;
    private final SessionStatistics statistics = new SessionStatistics();
    private final CompletableFuture<Backend> backend;
    private final CompletableFuture<Event.Terminated> terminated = new CompletableFuture<>();
    private final List<Consumer<Event>> subscribers = new CopyOnWriteArrayList<>();
    private final Async async = new Async();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    // Guarded by lock.
    private SessionState state = SessionState.CONNECTING;
    private boolean allThreadsHeld;
    private final Set<Long> threadsHeld = new HashSet<>();
    private Event.Stopped lastStop;
    private Event.Terminated ending;
    private final Map<Integer, Breakpoint> breakpoints = new LinkedHashMap<>();
    private int lastBreakpointId;
    private final ArrayDeque<Event> pending = new ArrayDeque<>();
    private boolean delivering;
    /** Events queued and events delivered to every subscriber, counted; a stop's number among the queued. */
    private long queued;
    private long delivered;
    private long stopQueuedAs;
    private long endQueuedAs;
    private Thread deliveringThread;
    /** The digest of the class file last sent by hot code replace, by class name. */
    private final Map<String, String> sentClassFiles = new HashMap<>();

    private Session(String name, SessionOptions options, CompletableFuture<Backend> backend) {
        this.id = Long.toString(IDS.incrementAndGet());
        this.name = name;
        this.options = options;
        this.backend = backend;
    }

    /**
     * Creates a session in state CONNECTING and connects it in the background.
     * {@link #connected()} completes when the target answers; on failure the session ends (TERMINATED).
     */
    public static Session open(String name, Connector connector, SessionOptions options) {
        return open(name, connector, options, List.of());
    }

    /**
     * Like {@link #open(String, Connector, SessionOptions)}, with listeners subscribed before anything can
     * happen, so they see every event from the first (a target held at entry, its first output).
     */
    public static Session open(String name, Connector connector, SessionOptions options, List<Consumer<Event>> listeners) {
        CompletableFuture<Backend> backendFuture = new CompletableFuture<>();
        Session session = new Session(name, options, backendFuture);
        session.subscribers.addAll(listeners);
        SessionPublisher.process().track(session);
        CompletableFuture<Backend> connecting;
        try {
            connecting = connector.connect();
        } catch (RuntimeException e) {
            connecting = CompletableFuture.failedFuture(e);
        }
        connecting.whenComplete((b, failure) -> {
            if (failure != null) {
                SondeException error = SondeException.from(failure);
                session.publish(new Event.Terminated(error.getMessage(), null));
                backendFuture.completeExceptionally(error);
                return;
            }
            boolean abandoned;
            session.lock.lock();
            try {
                abandoned = session.state == SessionState.TERMINATED;
                if (session.state == SessionState.CONNECTING) {
                    session.state = SessionState.RUNNING;
                    session.stateChanged.signalAll();
                }
            } finally {
                session.lock.unlock();
            }
            if (abandoned) {
                // The session was closed while connecting: let go of the late connection.
                if (options.onClose() == SessionOptions.CloseAction.TERMINATE) {
                    b.terminate();
                } else {
                    b.detach();
                }
                backendFuture.completeExceptionally(session.ended());
                return;
            }
            // Start first: a target held at entry reports its stop before anyone can see the session connected.
            b.start(session::publish);
            backendFuture.complete(b);
        });
        return session;
    }

    /** Opens a session and waits until it is connected. */
    public static Session connect(String name, Connector connector, SessionOptions options, Duration timeout) {
        return connect(name, connector, options, timeout, List.of());
    }

    /** Opens a session with early listeners (see {@link #open(String, Connector, SessionOptions, List)}) and waits until it is connected. */
    public static Session connect(String name, Connector connector, SessionOptions options, Duration timeout,
                                  List<Consumer<Event>> listeners) {
        Session session = open(name, connector, options, listeners);
        try {
            session.connected().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return session;
        } catch (TimeoutException e) {
            session.close();
            throw SondeException.timeout("Could not connect within " + timeout.toSeconds() + " s; check that the target is up and listening.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.close();
            throw SondeException.badState("Interrupted while connecting.");
        } catch (Exception e) {
            throw SondeException.from(e);
        }
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public SessionState state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Completes with the session once connected; fails if the connection failed. */
    public CompletableFuture<Session> connected() {
        return backend.thenApply(b -> this);
    }

    /** Completes when the session ends, for whatever reason. */
    public CompletableFuture<Event.Terminated> terminated() {
        return terminated;
    }

    /** What the session is connected to, once connected; empty before, and when the connection failed. */
    public Optional<TargetInfo> target() {
        if (!backend.isDone() || backend.isCompletedExceptionally()) {
            return Optional.empty();
        }
        return Optional.ofNullable(backend.join()).map(Backend::target);
    }

    public SessionOptions options() {
        return options;
    }

    /** Registers a listener for every later event, delivered in order on the session's event path. */
    public Subscription subscribe(Consumer<Event> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    /** The stop the target is held at, if it is held. */
    public Optional<Event.Stopped> currentStop() {
        lock.lock();
        try {
            return state == SessionState.STOPPED ? Optional.ofNullable(lastStop) : Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The breakpoints of this session, by id. */
    public List<Breakpoint> breakpoints() {
        lock.lock();
        try {
            return List.copyOf(breakpoints.values());
        } finally {
            lock.unlock();
        }
    }

    public Optional<Breakpoint> breakpoint(int breakpointId) {
        lock.lock();
        try {
            return Optional.ofNullable(breakpoints.get(breakpointId));
        } finally {
            lock.unlock();
        }
    }

    public SessionStats statistics() {
        return statistics.snapshot();
    }

    /** Reports text that belongs to this session's stream, such as a launched target's output. */
    public void output(OutputCategory category, String text) {
        publish(new Event.Output(category, text));
    }

    /**
     * Waits until the target is stopped or the session ends. Returns at once when the target is already
     * stopped (a stop that happened before the call counts) or the session is over.
     */
    public WaitOutcome awaitStop(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                // Subscribers see the event first, so a `wait` never reports a stop before its event is shown.
                boolean seen = Thread.currentThread() == deliveringThread;
                if (state == SessionState.STOPPED && lastStop != null && (seen || delivered >= stopQueuedAs)) {
                    return new WaitOutcome.Stopped(lastStop);
                }
                if (state == SessionState.TERMINATED && (seen || delivered >= endQueuedAs)) {
                    return new WaitOutcome.Terminated(ending);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new WaitOutcome.TimedOut(timeout);
                }
                stateChanged.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SondeException.badState("Interrupted while waiting for the target to stop.");
        } finally {
            lock.unlock();
        }
    }

    /** The asynchronous API: every call returns at once with a future. */
    public Async async() {
        return async;
    }

    // ---- blocking conveniences ----

    public Breakpoint addBreakpoint(BreakpointSpec spec, BreakpointOptions breakpointOptions) {
        return await(async.addBreakpoint(spec, breakpointOptions));
    }

    /** Parses {@code File.java:LINE}, {@code pkg.Class:LINE} or {@code pkg.Class.method} and sets it. */
    public Breakpoint addBreakpoint(String spec) {
        return addBreakpoint(BreakpointSpec.parse(spec), BreakpointOptions.DEFAULT);
    }

    public void removeBreakpoint(int breakpointId) {
        await(async.removeBreakpoint(breakpointId));
    }

    public List<ThreadInfo> threads() {
        return await(async.threads());
    }

    /** The whole stack of a suspended thread, top first. */
    public List<Frame> stackTrace(long threadId) {
        return await(async.stackTrace(threadId, 0, Integer.MAX_VALUE));
    }

    public List<Frame> stackTrace(long threadId, int start, int count) {
        return await(async.stackTrace(threadId, start, count));
    }

    /** The hand-offs that scheduled the work a suspended thread runs, nearest first; empty without async captures. */
    public List<AsyncSegment> asyncStack(long threadId) {
        return await(async.asyncStack(threadId));
    }

    /** {@link #asyncStack(long)}, with the lines of the scheduling machinery's frames when {@code machineryLines}. */
    public List<AsyncSegment> asyncStack(long threadId, boolean machineryLines) {
        return await(async.asyncStack(threadId, machineryLines));
    }

    public List<Variable> variables(long threadId, int frameIndex) {
        return await(async.variables(threadId, frameIndex, 0));
    }

    public List<Variable> variables(long threadId, int frameIndex, int depth) {
        return await(async.variables(threadId, frameIndex, depth));
    }

    public List<Variable> children(long ref, int depth) {
        return await(async.children(ref, depth));
    }

    /** Evaluates an expression in a frame; it may run code in the target (method calls, {@code new}, toString). */
    public Value evaluate(long threadId, int frameIndex, String expression) {
        return evaluate(threadId, frameIndex, expression, true);
    }

    /** Evaluates an expression in a frame, running code in the target only if {@code allowInvoke}. */
    public Value evaluate(long threadId, int frameIndex, String expression, boolean allowInvoke) {
        return await(async.evaluate(threadId, frameIndex, expression, allowInvoke));
    }

    public void resume() {
        await(async.resume());
    }

    public void resumeThread(long threadId) {
        await(async.resumeThread(threadId));
    }

    public void pause() {
        await(async.pause());
    }

    public void pauseThread(long threadId) {
        await(async.pauseThread(threadId));
    }

    public void step(long threadId, StepKind kind) {
        await(async.step(threadId, kind));
    }

    public List<String> classNames(String prefix) {
        return await(async.classNames(prefix));
    }

    public ClassList classes(ClassPattern pattern, int limit) {
        return await(async.classes(pattern, limit));
    }

    public ClassMethods methods(String className) {
        return await(async.methods(className));
    }

    public List<Instances> instances(String className, int first) {
        return await(async.instances(className, first));
    }

    public MonitorReport monitors() {
        return await(async.monitors());
    }

    /** Completions for console input at {@code column} of {@code text}, in a frame's context; runs no code in the target. */
    public List<Completion> completions(long threadId, int frameIndex, String text, int column) {
        return await(async.completions(threadId, frameIndex, text, column));
    }

    /** Hot code replace; see {@link Async#redefineClasses(Map)}. */
    public Redefinition redefineClasses(Map<String, byte[]> classes) {
        return await(async.redefineClasses(classes));
    }

    /** Re-runs the method of a frame from its start; see {@link Backend#restartFrame(long, int)}. */
    public void restartFrame(long threadId, int frameIndex) {
        await(async.restartFrame(threadId, frameIndex));
    }

    /** Children {@code start .. start+count-1} of a value shown earlier; a page of a huge collection costs a page. */
    public List<Variable> children(long ref, int start, int count, int depth) {
        return await(async.children(ref, start, count, depth));
    }

    /** The static fields of the class whose code a frame runs. */
    public List<Variable> staticVariables(long threadId, int frameIndex) {
        return await(async.staticVariables(threadId, frameIndex));
    }

    /** The calls on a frame's current line that {@link #stepInto} can go into. */
    public List<StepTarget> stepInTargets(long threadId, int frameIndex) {
        return await(async.stepInTargets(threadId, frameIndex));
    }

    /** Steps into one call of the current line; a stop follows when that method is entered. */
    public void stepInto(long threadId, StepTarget target) {
        await(async.stepInto(threadId, target));
    }

    /** The lines with code from {@code fromLine} to {@code toLine} of a source file, in the loaded classes. */
    public List<Integer> codeLines(String sourcePath, int fromLine, int toLine) {
        return await(async.codeLines(sourcePath, fromLine, toLine));
    }

    /** The source files of the loaded classes. */
    public List<String> loadedSources() {
        return await(async.loadedSources());
    }

    /** An exception shown earlier, with its stack and causes. */
    public ThrowableInfo throwable(long threadId, long ref) {
        return await(async.throwable(threadId, ref));
    }

    /** {@code toString()} of an object shown earlier, run in a stopped thread. */
    public String toText(long threadId, long ref) {
        return await(async.toText(threadId, ref));
    }

    /** Lets go of the target, which keeps running, and ends the session. */
    public void detach() {
        await(async.detach());
    }

    /** Ends the target and the session. */
    public void terminate() {
        await(async.terminate());
    }

    /**
     * Ends the session: a live target is detached from or terminated according to
     * {@link SessionOptions#onClose()}. Safe to call more than once.
     */
    @Override
    public void close() {
        SessionState now = state();
        if (now == SessionState.TERMINATED) {
            return;
        }
        if (now == SessionState.CONNECTING) {
            publish(new Event.Terminated("closed while connecting", null));
            return;
        }
        CompletableFuture<Void> ending = options.onClose() == SessionOptions.CloseAction.TERMINATE
                ? async.terminate() : async.detach();
        try {
            ending.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the target may be ending already; its own Terminated event is still on its way
            LOG.log(System.Logger.Level.DEBUG, "closing session " + id, e);
        }
        try {
            terminated.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "waiting for session " + id + " to end", e);
        }
        if (!terminated.isDone()) {
            publish(new Event.Terminated("session closed", null));
        }
    }

    @Override
    public String toString() {
        return "Session[" + id + " " + name + " " + state() + "]";
    }

    // ---- event path ----

    /**
     * Takes an event from the backend (or from a launcher): updates state and statistics at once,
     * then delivers it to subscribers. Delivery is serialised: a subscriber that causes another event
     * (resuming from inside a stop handler) finds it delivered right after it returns, not nested.
     */
    private void publish(Event event) {
        boolean deliverHere;
        Event.Terminated ended = null;
        lock.lock();
        try {
            if (state == SessionState.TERMINATED) {
                return;
            }
            pending.add(event);
            queued++;
            if (event instanceof Event.Stopped) {
                stopQueuedAs = queued;
            } else if (event instanceof Event.Terminated) {
                endQueuedAs = queued;
            }
            apply(event);
            statistics.record(event, state == SessionState.STOPPED);
            if (event instanceof Event.Terminated t) {
                ended = t;
            }
            deliverHere = !delivering;
            if (deliverHere) {
                delivering = true;
            }
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
        if (deliverHere) {
            drain();
        }
        if (ended != null) {
            terminated.complete(ended);
        }
    }

    // Called with lock held.
    private void apply(Event event) {
        switch (event) {
            case Event.Stopped stopped -> {
                if (stopped.allThreads()) {
                    allThreadsHeld = true;
                }
                if (stopped.thread() != null) {
                    threadsHeld.add(stopped.thread().id());
                }
                lastStop = stopped;
                state = SessionState.STOPPED;
                for (int breakpointId : stopped.breakpointIds()) {
                    Breakpoint hit = breakpoints.get(breakpointId);
                    if (hit != null && hit.options().temporary()) {
                        breakpoints.remove(breakpointId);
                        Event removed = new Event.BreakpointChanged(hit, Event.BreakpointChanged.Change.REMOVED);
                        pending.add(removed);
                        queued++;
                        statistics.record(removed, true);
                    }
                }
            }
            case Event.Continued continued -> {
                if (continued.allThreads()) {
                    allThreadsHeld = false;
                    threadsHeld.clear();
                } else {
                    threadsHeld.remove(continued.threadId());
                }
                if (!allThreadsHeld && threadsHeld.isEmpty()) {
                    state = SessionState.RUNNING;
                }
            }
            case Event.BreakpointChanged changed -> {
                Breakpoint breakpoint = changed.breakpoint();
                if (changed.change() == Event.BreakpointChanged.Change.REMOVED) {
                    breakpoints.remove(breakpoint.id());
                } else if (breakpoints.containsKey(breakpoint.id())) {
                    breakpoints.put(breakpoint.id(), breakpoint);
                }
            }
            case Event.Terminated ended -> {
                state = SessionState.TERMINATED;
                ending = ended;
                allThreadsHeld = false;
                threadsHeld.clear();
            }
            case Event.Output ignored -> {
            }
            case Event.Snapshot ignored -> {
            }
            case Event.ThreadStarted ignored -> {
            }
            case Event.ThreadExited exited -> threadsHeld.remove(exited.threadId());
            case Event.Error ignored -> {
            }
        }
    }

    private void drain() {
        while (true) {
            Event next;
            lock.lock();
            try {
                next = pending.poll();
                if (next == null) {
                    delivering = false;
                    deliveringThread = null;
                    return;
                }
                deliveringThread = Thread.currentThread();
            } finally {
                lock.unlock();
            }
            for (Consumer<Event> subscriber : subscribers) {
                try {
                    subscriber.accept(next);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "event subscriber failed on " + next.kind(), e);
                }
            }
            lock.lock();
            try {
                delivered++;
                stateChanged.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private SondeException ended() {
        Event.Terminated end;
        lock.lock();
        try {
            end = ending;
        } finally {
            lock.unlock();
        }
        String why = end == null ? "" : " (" + end.reason() + ")";
        return SondeException.targetGone("Session " + id + " has ended" + why + "; attach or launch again to continue.");
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw SondeException.timeout("The target did not answer within " + options.requestTimeout().toSeconds()
                    + " s; it may be hung or overloaded. Try again, or raise session.requestTimeout.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SondeException.badState("Interrupted while waiting for the target.");
        } catch (Exception e) {
            throw SondeException.from(e);
        }
    }

    /** The asynchronous session API. Every method returns at once; failures are {@link SondeException}s. */
    public final class Async {

        private Async() {
        }

        private <T> CompletableFuture<T> withBackend(Function<Backend, CompletableFuture<T>> call) {
            if (state() == SessionState.TERMINATED) {
                return CompletableFuture.failedFuture(ended());
            }
            return backend.thenCompose(b -> {
                if (state() == SessionState.TERMINATED) {
                    return CompletableFuture.failedFuture(ended());
                }
                return call.apply(b);
            });
        }


        public CompletableFuture<Breakpoint> addBreakpoint(BreakpointSpec spec, BreakpointOptions breakpointOptions) {
            int breakpointId;
            lock.lock();
            try {
                breakpointId = ++lastBreakpointId;
            } finally {
                lock.unlock();
            }
            return withBackend(b -> b.setBreakpoint(breakpointId, spec, breakpointOptions))
                    .whenComplete((breakpoint, failure) -> {
                        lock.lock();
                        try {
                            if (failure != null) {
                                if (lastBreakpointId == breakpointId) {
                                    lastBreakpointId--;
                                }
                                return;
                            }
                            breakpoints.put(breakpointId, breakpoint);
                        } finally {
                            lock.unlock();
                        }
                        publish(new Event.BreakpointChanged(breakpoint, Event.BreakpointChanged.Change.ADDED));
                    });
        }

        public CompletableFuture<Void> removeBreakpoint(int breakpointId) {
            Breakpoint existing = breakpoint(breakpointId).orElse(null);
            if (existing == null) {
                return CompletableFuture.failedFuture(SondeException.notFound("There is no breakpoint " + breakpointId
                        + "; `breakpoints` lists them."));
            }
            return withBackend(b -> b.clearBreakpoint(breakpointId)).thenRun(() -> {
                lock.lock();
                try {
                    if (breakpoints.remove(breakpointId) == null) {
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                publish(new Event.BreakpointChanged(existing, Event.BreakpointChanged.Change.REMOVED));
            });
        }

        public CompletableFuture<List<ThreadInfo>> threads() {
            return withBackend(Backend::threads);
        }

        public CompletableFuture<List<Frame>> stackTrace(long threadId, int start, int count) {
            return withBackend(b -> b.stackTrace(threadId, start, count));
        }

        public CompletableFuture<List<AsyncSegment>> asyncStack(long threadId) {
            return withBackend(b -> b.asyncStack(threadId));
        }

        public CompletableFuture<List<AsyncSegment>> asyncStack(long threadId, boolean machineryLines) {
            return withBackend(b -> b.asyncStack(threadId, machineryLines));
        }

        public CompletableFuture<List<Variable>> variables(long threadId, int frameIndex, int depth) {
            return withBackend(b -> b.variables(threadId, frameIndex, depth));
        }

        public CompletableFuture<List<Variable>> children(long ref, int depth) {
            return withBackend(b -> b.children(ref, depth));
        }

        public CompletableFuture<Value> evaluate(long threadId, int frameIndex, String expression) {
            return evaluate(threadId, frameIndex, expression, true);
        }

        public CompletableFuture<Value> evaluate(long threadId, int frameIndex, String expression, boolean allowInvoke) {
            return withBackend(b -> b.evaluate(threadId, frameIndex, expression, allowInvoke));
        }

        public CompletableFuture<Void> resume() {
            return withBackend(Backend::resume);
        }

        public CompletableFuture<Void> resumeThread(long threadId) {
            return withBackend(b -> b.resumeThread(threadId));
        }

        public CompletableFuture<Void> pause() {
            return withBackend(Backend::pause);
        }

        public CompletableFuture<Void> pauseThread(long threadId) {
            return withBackend(b -> b.pauseThread(threadId));
        }

        public CompletableFuture<Void> step(long threadId, StepKind kind) {
            return withBackend(b -> b.step(threadId, kind));
        }

        public CompletableFuture<List<String>> classNames(String prefix) {
            return withBackend(b -> b.classNames(prefix));
        }

        public CompletableFuture<ClassList> classes(ClassPattern pattern, int limit) {
            return withBackend(b -> b.classes(pattern, limit));
        }

        public CompletableFuture<ClassMethods> methods(String className) {
            return withBackend(b -> b.methods(className));
        }

        public CompletableFuture<List<Instances>> instances(String className, int first) {
            return withBackend(b -> b.instances(className, first));
        }

        public CompletableFuture<MonitorReport> monitors() {
            return withBackend(Backend::monitors);
        }

        public CompletableFuture<List<Completion>> completions(long threadId, int frameIndex, String text, int column) {
            return withBackend(b -> b.completions(threadId, frameIndex, text, column));
        }

        /**
         * Replaces loaded classes with these class files (class name to bytes). Only classes whose bytes differ from the
         * ones this session last sent go to the target; the rest are reported {@link Redefinition.Replaced#unchanged()}.
         */
        public CompletableFuture<Redefinition> redefineClasses(Map<String, byte[]> classes) {
            Map<String, byte[]> changed = new LinkedHashMap<>();
            Map<String, String> digests = new HashMap<>();
            List<String> unchanged = new ArrayList<>();
            lock.lock();
            try {
                classes.forEach((name, bytes) -> {
                    String digest = digest(bytes);
                    if (digest.equals(sentClassFiles.get(name))) {
                        unchanged.add(name);
                    } else {
                        changed.put(name, bytes);
                        digests.put(name, digest);
                    }
                });
            } finally {
                lock.unlock();
            }
            if (changed.isEmpty()) {
                return CompletableFuture.completedFuture(new Redefinition.Replaced(List.of(), unchanged, List.of(), List.of()));
            }
            return withBackend(b -> b.redefineClasses(changed)).thenApply(result -> switch (result) {
                case Redefinition.Replaced replaced -> {
                    lock.lock();
                    try {
                        replaced.classes().forEach(name -> sentClassFiles.put(name, digests.get(name)));
                        replaced.notLoaded().forEach(name -> sentClassFiles.put(name, digests.get(name)));
                    } finally {
                        lock.unlock();
                    }
                    yield new Redefinition.Replaced(replaced.classes(), unchanged, replaced.notLoaded(), replaced.staleFrames());
                }
                case Redefinition.Refused refused -> refused;
            });
        }

        public CompletableFuture<Void> restartFrame(long threadId, int frameIndex) {
            return withBackend(b -> b.restartFrame(threadId, frameIndex));
    }

        public CompletableFuture<List<Variable>> children(long ref, int start, int count, int depth) {
            return withBackend(b -> b.children(ref, start, count, depth));
        }

        public CompletableFuture<List<Variable>> staticVariables(long threadId, int frameIndex) {
            return withBackend(b -> b.staticVariables(threadId, frameIndex));
        }

        public CompletableFuture<List<StepTarget>> stepInTargets(long threadId, int frameIndex) {
            return withBackend(b -> b.stepInTargets(threadId, frameIndex));
        }

        public CompletableFuture<Void> stepInto(long threadId, StepTarget target) {
            return withBackend(b -> b.stepInto(threadId, target));
        }

        public CompletableFuture<List<Integer>> codeLines(String sourcePath, int fromLine, int toLine) {
            return withBackend(b -> b.codeLines(sourcePath, fromLine, toLine));
        }

        public CompletableFuture<List<String>> loadedSources() {
            return withBackend(Backend::loadedSources);
        }

        public CompletableFuture<ThrowableInfo> throwable(long threadId, long ref) {
            return withBackend(b -> b.throwable(threadId, ref));
        }

        public CompletableFuture<String> toText(long threadId, long ref) {
            return withBackend(b -> b.toText(threadId, ref));
        }

        public CompletableFuture<Void> detach() {
            return withBackend(Backend::detach);
        }

        public CompletableFuture<Void> terminate() {
            return withBackend(Backend::terminate);
        }
    }
}
