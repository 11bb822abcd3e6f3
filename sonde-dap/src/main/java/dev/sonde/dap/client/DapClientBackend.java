package dev.sonde.dap.client;

import dev.sonde.core.classes.ClassList;
import dev.sonde.core.classes.ClassMethods;
import dev.sonde.core.classes.ClassPattern;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.backend.Backend;
import dev.sonde.core.backend.BackendRequests;
import dev.sonde.core.backend.HeldEvents;
import dev.sonde.core.backend.StepKind;
import dev.sonde.core.backend.TargetEnding;
import dev.sonde.core.backend.TargetInfo;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThreadStatus;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.dap.client.breakpoints.SourceBreakpoints;
import dev.sonde.dap.client.breakpoints.SourceFiles;
import dev.sonde.dap.client.values.DapValues;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateArgumentsContext;
import org.eclipse.lsp4j.debug.EvaluateResponse;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.PauseArguments;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;
import org.eclipse.lsp4j.debug.TerminateArguments;
import org.eclipse.lsp4j.debug.VariablesArguments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend over any DAP server (debugpy among them): Sonde is the DAP client. Requests run on the backend's own
 * threads and wait there for the server's answers; the server's events arrive on the channel's event thread, in
 * order, where {@link ServerEvents} turns each into Sonde events.
 *
 * <p>Until the first resume, the DAP configuration phase stays open: the target is reported held at entry, so
 * breakpoints can be set first, and the first resume sends {@code configurationDone}. A debugpy started with
 * {@code --wait-for-client} runs the script from that moment.
 *
 * <p>Thread ids are the server's; frame indexes map to the server's frame ids, and value refs are the server's
 * variables references, both valid until the target runs again.
 */
public final class DapClientBackend implements Backend {

    /** {@code x = ...} (not {@code ==}): an assignment, whose value is the target's afterwards. */
    private static final Pattern ASSIGNMENT = Pattern.compile("\\s*([A-Za-z_][\\w.]*(?:\\[[^\\]]*])*)\\s*=(?!=).*", Pattern.DOTALL);
    /** The last line of a Python traceback: {@code NameError: name 'x' is not defined}. */
    private static final Pattern EXCEPTION_LINE = Pattern.compile("([A-Za-z_][\\w.]*(?:Error|Exception|Exit|Interrupt|Warning))(?::\\s*(.*))?");

    private final DapChannel channel;
    private final Capabilities capabilities;
    private final TargetInfo target;
    private final DebugServer ownedServer;
    private final SourceBreakpoints breakpoints;
    private final DapValues values;
    private final BackendRequests requests;

    private final Map<Long, String> threadNames = new ConcurrentHashMap<>();
    /** The frames read since the target stopped (their ids are valid until it runs): by thread, then by index. */
    private final Map<Long, Map<Integer, StackFrame>> stackFrames = new ConcurrentHashMap<>();
    private final long entryThread;
    /** The configuration phase is open: {@code configurationDone} has not been sent, the target waits at entry. */
    private volatile boolean configuring;
    private volatile boolean stopped;
    private volatile long stoppedThread;
    private volatile boolean allThreadsStopped;
    /** Set once, by the first detach or terminate: a later one (closing the session, say) finds the target on its way out. */
    private final AtomicReference<TargetEnding> ending = new AtomicReference<>(TargetEnding.NONE);
    private volatile Integer exitCode;
    /** The server said the session is over ({@code terminated}), rather than the connection just breaking. */
    private volatile boolean terminatedByServer;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Why the session ended, once it has. */
    private volatile String endReason = "the connection to the target was lost";
    private final HeldEvents events = new HeldEvents();

    /**
     * @param ownedServer the debug server this backend launched and must end with the session, or null when attached
     * @param configuring whether the configuration phase is open (the server takes {@code configurationDone})
     * @param threads     the target's threads as the connection began, id to name; the first is reported held at entry
     * @param sourceRoots where to look for the files that breakpoints name
     * @param attached    the server's answer to {@code attach}, which may come late
     */
    DapClientBackend(DapChannel channel, Capabilities capabilities, TargetInfo target, DebugServer ownedServer, boolean configuring,
                     Map<Long, String> threads, List<Path> sourceRoots, CompletableFuture<Void> attached, DapClientOptions options) {
        this.channel = channel;
        this.capabilities = capabilities;
        this.target = target;
        this.ownedServer = ownedServer;
        this.configuring = configuring;
        this.threadNames.putAll(threads);
        this.entryThread = threads.keySet().stream().findFirst().orElse(0L);
        // lsp4j's event thread cannot be marked as the backend's, so it is recognised by the channel.
        this.requests = new BackendRequests("sonde-dap-client-" + channel.id() + "-request-", SondeException::from,
                () -> "The session with the target has ended (" + endReason + "); attach or launch again to continue.",
                channel::onEventThread);
        this.breakpoints = new SourceBreakpoints(this::sendBreakpoints, capabilities, new SourceFiles(sourceRoots));
        this.values = new DapValues(this::readChildren, options.maxElements(), options.maxStringLength());
        // Not on lsp4j's reader thread, which completes the answer: a listener there that waited for the server would wait forever.
        attached.whenCompleteAsync((done, failure) -> {
            if (failure != null && !finished.get() && SondeException.from(failure).kind() != ErrorKind.TARGET_GONE) {
                emit(new Event.Error("The debug server refused to attach: " + DapChannel.oneSentence(failure.getMessage()) + "."));
            }
        }, requests);
        channel.handle(new ServerEvents(this, breakpoints));
    }

    /** Passes a launched target's output on as {@link Event.Output}, keeping it until the session starts. */
    void output(OutputCategory category, String text) {
        emit(new Event.Output(category, text));
    }

    @Override
    public void start(Consumer<Event> events) {
        this.events.start(events);
        if (configuring) {
            emit(new Event.Stopped(StopReason.ENTRY, entryThread == 0 ? null : threadInfo(entryThread), null, List.of(), true));
        }
    }

    @Override
    public TargetInfo target() {
        return target;
    }

    // ---- breakpoints ----

    @Override
    public CompletableFuture<Breakpoint> setBreakpoint(int breakpointId, BreakpointSpec spec, BreakpointOptions options) {
        return requests.call(() -> {
            SourceBreakpoints.Added added = breakpoints.add(breakpointId, spec, options);
            added.changed().forEach(other -> emit(new Event.BreakpointChanged(other, Event.BreakpointChanged.Change.UPDATED)));
            return added.breakpoint();
        });
    }

    @Override
    public CompletableFuture<Void> clearBreakpoint(int breakpointId) {
        return requests.run(() -> breakpoints.remove(List.of(breakpointId)));
    }

    private org.eclipse.lsp4j.debug.Breakpoint[] sendBreakpoints(String path, org.eclipse.lsp4j.debug.SourceBreakpoint[] wanted) {
        SetBreakpointsArguments args = new SetBreakpointsArguments();
        Source source = new Source();
        source.setPath(path);
        args.setSource(source);
        args.setBreakpoints(wanted);
        return channel.call("set the breakpoints of " + path, server -> server.setBreakpoints(args)).getBreakpoints();
    }

    // ---- threads and frames ----

    @Override
    public CompletableFuture<List<ThreadInfo>> threads() {
        return requests.call(() -> refreshThreads().stream().map(this::threadInfo).toList());
    }

    List<Long> refreshThreads() {
        org.eclipse.lsp4j.debug.Thread[] threads = channel.call("list the threads", server -> server.threads()).getThreads();
        List<Long> ids = new ArrayList<>();
        Map<Long, String> names = new ConcurrentHashMap<>();
        for (org.eclipse.lsp4j.debug.Thread thread : threads == null ? new org.eclipse.lsp4j.debug.Thread[0] : threads) {
            ids.add((long) thread.getId());
            names.put((long) thread.getId(), thread.getName() == null ? "" : thread.getName());
        }
        threadNames.keySet().retainAll(names.keySet());
        threadNames.putAll(names);
        return ids;
    }

    ThreadInfo threadInfo(long threadId) {
        boolean held = configuring || stopped && (allThreadsStopped || threadId == stoppedThread);
        return new ThreadInfo(threadId, threadNames.getOrDefault(threadId, ""), ThreadStatus.RUNNING, false, held);
    }

    @Override
    public CompletableFuture<List<Frame>> stackTrace(long threadId, int start, int count) {
        return requests.call(() -> {
            requireThread(threadId);
            if (configuring) {
                return List.<Frame>of();
            }
            requireStopped(threadId);
            return frames(threadId, start, count);
        });
    }

    List<Frame> frames(long threadId, int start, int count) {
        StackTraceArguments args = new StackTraceArguments();
        args.setThreadId((int) threadId);
        args.setStartFrame(start);
        // DAP reads 0 levels as "all of them".
        args.setLevels(count >= Integer.MAX_VALUE / 2 ? 0 : Math.max(1, count));
        StackFrame[] raw = channel.call("read the stack of thread " + threadId, server -> server.stackTrace(args)).getStackFrames();
        List<Frame> frames = new ArrayList<>();
        Map<Integer, StackFrame> read = stackFrames.computeIfAbsent(threadId, t -> new ConcurrentHashMap<>());
        for (int i = 0; raw != null && i < raw.length && i < count; i++) {
            StackFrame frame = raw[i];
            read.put(start + i, frame);
            frames.add(new Frame(start + i, location(frame), false));
        }
        return frames;
    }

    private static Location location(StackFrame frame) {
        String path = frame.getSource() == null ? null : frame.getSource().getPath();
        if (path == null && frame.getSource() != null) {
            path = frame.getSource().getName();
        }
        return SourceFiles.location(path, frame.getName(), frame.getLine());
    }

    private int frameId(long threadId, int frameIndex) {
        StackFrame known = stackFrames.getOrDefault(threadId, Map.of()).get(frameIndex);
        if (known != null) {
            return known.getId();
        }
        if (frameIndex < 0 || frames(threadId, frameIndex, 1).isEmpty()) {
            throw SondeException.notFound("Thread " + threadId + " has no frame " + frameIndex + "; `where` lists its frames.");
        }
        return stackFrames.get(threadId).get(frameIndex).getId();
    }

    private void requireThread(long threadId) {
        // Asking debugpy about a thread it does not know makes it print a traceback in the target: check first.
        if (!threadNames.containsKey(threadId) && !refreshThreads().contains(threadId)) {
            throw SondeException.notFound("There is no thread " + threadId + "; `threads` lists them.");
        }
    }

    private void requireStarted() {
        if (configuring) {
            throw SondeException.badState("The target has not run any code yet (held at entry); set breakpoints, then `cont`.");
        }
    }

    private void requireStopped(long threadId) {
        if (!stopped || !allThreadsStopped && threadId != stoppedThread) {
            throw SondeException.badState("Thread " + threadId + " is running; wait for a stop or pause it to read its stack.");
        }
    }

    // ---- variables and evaluation ----

    @Override
    public CompletableFuture<List<Variable>> variables(long threadId, int frameIndex, int depth) {
        return requests.call(() -> {
            requireThread(threadId);
            requireStarted();
            requireStopped(threadId);
            int frame = frameId(threadId, frameIndex);
            ScopesArguments args = new ScopesArguments();
            args.setFrameId(frame);
            Scope[] scopes = channel.call("read the scopes of frame " + frameIndex, server -> server.scopes(args)).getScopes();
            Scope locals = Arrays.stream(scopes == null ? new Scope[0] : scopes)
                    .filter(s -> "locals".equals(s.getPresentationHint()) || "Locals".equalsIgnoreCase(s.getName()))
                    .findFirst()
                    .orElse(scopes == null || scopes.length == 0 ? null : scopes[0]);
            if (locals == null || locals.getVariablesReference() <= 0) {
                return List.<Variable>of();
            }
            return values.variables(readChildren(locals.getVariablesReference()), VariableKind.LOCAL, depth);
        });
    }

    @Override
    public CompletableFuture<List<Variable>> children(long ref, int depth) {
        return requests.call(() -> values.children(ref, depth));
    }

    private List<org.eclipse.lsp4j.debug.Variable> readChildren(int variablesReference) {
        VariablesArguments args = new VariablesArguments();
        args.setVariablesReference(variablesReference);
        org.eclipse.lsp4j.debug.Variable[] children = channel.call("read variables", server -> server.variables(args)).getVariables();
        return children == null ? List.of() : List.of(children);
    }

    @Override
    public CompletableFuture<Value> evaluate(long threadId, int frameIndex, String expression, boolean allowInvoke) {
        return requests.call(() -> {
            if (!allowInvoke) {
                throw new SondeException(ErrorKind.UNSUPPORTED, "A DAP server cannot evaluate `" + expression
                        + "` without running code in the target, and invocation is off; drop --no-invoke (or set eval.invoke: true) to evaluate it.");
            }
            requireThread(threadId);
            requireStarted();
            requireStopped(threadId);
            int frame = frameId(threadId, frameIndex);
            EvaluateResponse result = evaluate(frame, expression);
            Matcher assignment = ASSIGNMENT.matcher(expression);
            if (isStatement(result) && assignment.matches()) {
                result = evaluate(frame, assignment.group(1));
            }
            if (isStatement(result)) {
                return new Value.Unavailable("", "no value: a statement");
            }
            return values.value(result.getType(), result.getResult(), result.getVariablesReference(), 0);
        });
    }

    private EvaluateResponse evaluate(int frameId, String expression) {
        EvaluateArguments args = new EvaluateArguments();
        args.setExpression(expression);
        args.setFrameId(frameId);
        // The REPL context takes statements too (debugpy runs them), which is what `set` needs.
        args.setContext(EvaluateArgumentsContext.REPL);
        try {
            return channel.call("evaluate `" + expression + "`", server -> server.evaluate(args));
        } catch (DapChannel.Refused refused) {
            Matcher thrown = EXCEPTION_LINE.matcher(refused.serverMessage());
            if (thrown.matches()) {
                String detail = thrown.group(2) == null || thrown.group(2).isBlank() ? "" : ": " + thrown.group(2);
                throw new SondeException(ErrorKind.TARGET_THREW, "`" + expression + "` threw " + thrown.group(1) + detail + ".");
            }
            throw new SondeException(ErrorKind.INVALID_INPUT, "Cannot evaluate `" + expression + "`: " + refused.serverMessage() + ".");
        }
    }

    private static boolean isStatement(EvaluateResponse result) {
        return (result.getResult() == null || result.getResult().isEmpty())
                && (result.getType() == null || result.getType().isEmpty()) && result.getVariablesReference() <= 0;
    }

    // ---- running ----

    @Override
    public CompletableFuture<Void> resume() {
        return requests.run(() -> resumeFrom(stoppedThread));
    }

    @Override
    public CompletableFuture<Void> resumeThread(long threadId) {
        return requests.run(() -> {
            requireThread(threadId);
            resumeFrom(threadId);
        });
    }

    /**
     * Ends the configuration phase (the target starts), or resumes every thread: a server that could resume one
     * thread alone is still asked for all, as Sonde holds all threads at a stop.
     */
    private void resumeFrom(long threadId) {
        if (configuring) {
            configuring = false;
            running();
            channel.call("start the target", server -> server.configurationDone(new ConfigurationDoneArguments()));
        } else if (stopped) {
            ContinueArguments args = new ContinueArguments();
            args.setThreadId((int) threadId);
            running();
            channel.call("resume the target", server -> server.continue_(args));
        }
    }

    /** The target is about to run: what was read at the stop is stale from now on. */
    private void running() {
        stopped = false;
        values.forget();
        stackFrames.clear();
        emit(new Event.Continued(0, true));
    }

    @Override
    public CompletableFuture<Void> pause() {
        return requests.run(() -> {
            if (configuring || stopped) {
                return;
            }
            List<Long> threads = refreshThreads();
            if (threads.isEmpty()) {
                throw SondeException.badState("The target has no threads to pause.");
            }
            pause(threads.get(0));
        });
    }

    @Override
    public CompletableFuture<Void> pauseThread(long threadId) {
        return requests.run(() -> {
            requireThread(threadId);
            if (!configuring && !stopped) {
                pause(threadId);
            }
        });
    }

    /** Asks the server to pause; its {@code stopped} event becomes the stop. */
    private void pause(long threadId) {
        PauseArguments args = new PauseArguments();
        args.setThreadId((int) threadId);
        channel.call("pause thread " + threadId, server -> server.pause(args));
    }

    @Override
    public CompletableFuture<Void> step(long threadId, StepKind kind) {
        return requests.run(() -> {
            requireThread(threadId);
            if (configuring) {
                throw SondeException.badState("The target has not run any code yet; set a breakpoint and `cont` instead.");
            }
            if (!stopped || !allThreadsStopped && threadId != stoppedThread) {
                throw SondeException.badState("Thread " + threadId + " is running; steps need a stopped thread, so wait for a stop or pause first.");
            }
            running();
            int thread = (int) threadId;
            switch (kind) {
                case OVER -> {
                    NextArguments args = new NextArguments();
                    args.setThreadId(thread);
                    channel.call("step over", server -> server.next(args));
                }
                case INTO -> {
                    StepInArguments args = new StepInArguments();
                    args.setThreadId(thread);
                    channel.call("step into", server -> server.stepIn(args));
                }
                case OUT -> {
                    StepOutArguments args = new StepOutArguments();
                    args.setThreadId(thread);
                    channel.call("step out", server -> server.stepOut(args));
                }
            }
        });
    }

    @Override
    public CompletableFuture<List<String>> classNames(String prefix) {
        // A DAP server has no class list; completion offers none.
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<ClassList> classes(ClassPattern pattern, int limit) {
        return refuse("classes");
    }

    @Override
    public CompletableFuture<ClassMethods> methods(String className) {
        return refuse("methods");
    }

    @Override
    public CompletableFuture<List<Instances>> instances(String className, int first) {
        return refuse("instances");
    }

    @Override
    public CompletableFuture<MonitorReport> monitors() {
        return refuse("monitors");
    }

    private static <T> CompletableFuture<T> refuse(String command) {
        return CompletableFuture.failedFuture(new SondeException(ErrorKind.UNSUPPORTED, "`" + command
                + "` reads a JVM through JDWP, and this target is debugged over DAP (debugpy), which has no such request."));
    }

    // ---- ending ----

    @Override
    public CompletableFuture<Void> detach() {
        return requests.run(() -> {
            if (!ending.compareAndSet(TargetEnding.NONE, TargetEnding.DETACH)) {
                return;
            }
            try {
                if (configuring) {
                    // Let a target that waits for its debugger go on, as a JVM goes on when its debugger leaves.
                    configuring = false;
                    channel.call("start the target", server -> server.configurationDone(new ConfigurationDoneArguments()));
                }
                DisconnectArguments args = new DisconnectArguments();
                args.setTerminateDebuggee(false);
                channel.call("detach", server -> server.disconnect(args));
            } catch (SondeException e) {
                if (e.kind() != ErrorKind.TARGET_GONE) {
                    throw e;
                }
            } finally {
                channel.close();
            }
        });
    }

    @Override
    public CompletableFuture<Void> terminate() {
        return requests.run(() -> {
            if (!ending.compareAndSet(TargetEnding.NONE, TargetEnding.TERMINATE)) {
                return;
            }
            try {
                if (ownedServer != null) {
                    ownedServer.kill();
                } else if (Boolean.TRUE.equals(capabilities.getSupportTerminateDebuggee())
                        || !Boolean.TRUE.equals(capabilities.getSupportsTerminateRequest())) {
                    DisconnectArguments args = new DisconnectArguments();
                    args.setTerminateDebuggee(true);
                    channel.call("end the target", server -> server.disconnect(args));
                } else {
                    channel.call("end the target", server -> server.terminate(new TerminateArguments()));
                }
            } catch (SondeException e) {
                if (e.kind() != ErrorKind.TARGET_GONE) {
                    throw e;
                }
            } finally {
                channel.close();
            }
        });
    }

    /** Reports the end of the session, once: the server said so, or the connection went. */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        channel.close();
        requests.shutdown();
        Event.Terminated end = ending.get().finish(ownedServer, exitCode, terminatedByServer);
        endReason = end.reason();
        emit(end);
    }

    // ---- plumbing ----

    void emit(Event event) {
        events.emit(event);
    }

    // ---- state the server's events change (see ServerEvents) ----

    /** Detach or terminate has begun, or the session is over: a late stop is not reported. */
    boolean endingOrEnded() {
        return ending.get() != TargetEnding.NONE || finished.get();
    }

    boolean finished() {
        return finished.get();
    }

    /** The server says the target stopped: what was read before is stale, and the stop's thread is held. */
    void stoppedAt(long threadId, boolean allThreads) {
        values.forget();
        stackFrames.clear();
        stoppedThread = threadId;
        allThreadsStopped = allThreads;
        stopped = true;
    }

    /** The server says the target runs again; returns whether it was stopped (then what was read there is forgotten). */
    boolean continuedByServer() {
        if (!stopped) {
            return false;
        }
        stopped = false;
        values.forget();
        stackFrames.clear();
        return true;
    }

    /** The server frame read last at {@code frameIndex} of a thread since the stop, or null. */
    StackFrame readFrame(long threadId, int frameIndex) {
        return stackFrames.getOrDefault(threadId, Map.of()).get(frameIndex);
    }

    boolean knowsThread(long threadId) {
        return threadNames.containsKey(threadId);
    }

    /** Forgets an ended thread; returns its name, or null if it was not known. */
    String forgetThread(long threadId) {
        return threadNames.remove(threadId);
    }

    void exited(Integer code) {
        exitCode = code;
    }

    /** The server said the session is over, rather than the connection just breaking. */
    void serverTerminated() {
        terminatedByServer = true;
        finish();
    }

    long firstThread() {
        List<Long> threads = refreshThreads();
        return threads.isEmpty() ? 0 : threads.get(0);
    }
}
