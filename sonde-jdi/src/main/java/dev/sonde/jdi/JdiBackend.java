package dev.sonde.jdi;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.OpaqueFrameException;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.backend.Backend;
import dev.sonde.core.backend.BackendRequests;
import dev.sonde.core.backend.HeldEvents;
import dev.sonde.core.backend.StepKind;
import dev.sonde.core.backend.TargetEnding;
import dev.sonde.core.backend.TargetInfo;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.classes.ClassList;
import dev.sonde.core.classes.ClassMethods;
import dev.sonde.core.classes.ClassPattern;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Completion;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.PortOwner;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.StepTarget;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThrowableInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.jdi.agent.AgentBreakpoints;
import dev.sonde.jdi.agent.ClassRefresh;
import dev.sonde.jdi.agent.RunningCalls;
import dev.sonde.jdi.agent.StopMarker;
import dev.sonde.jdi.asyncstacks.AsyncAttach;
import dev.sonde.jdi.asyncstacks.AsyncStackReader;
import dev.sonde.jdi.operations.OperationReader;
import dev.sonde.jdi.operations.StopContexts;
import dev.sonde.jdi.breakpoints.BreakpointInstaller;
import dev.sonde.jdi.classes.ClassBrowser;
import dev.sonde.jdi.eval.CompiledExpression;
import dev.sonde.jdi.eval.EvalOptions;
import dev.sonde.jdi.eval.Evaluated;
import dev.sonde.jdi.eval.Evaluator;
import dev.sonde.jdi.events.EventLoop;
import dev.sonde.jdi.frames.Locations;
import dev.sonde.jdi.frames.ObsoleteFrames;
import dev.sonde.jdi.frames.ReturnValues;
import dev.sonde.jdi.frames.StackReader;
import dev.sonde.jdi.hotswap.HotSwap;
import dev.sonde.jdi.locks.MonitorReader;
import dev.sonde.jdi.sources.LoadedSources;
import dev.sonde.jdi.stepping.CallSites;
import dev.sonde.jdi.stepping.Stepping;
import dev.sonde.jdi.threads.ThreadDirectory;
import dev.sonde.jdi.values.ObjectHandles;
import dev.sonde.jdi.values.Throwables;
import dev.sonde.jdi.values.ValueReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The JVM backend: JDWP through JDI. One event thread reads the target's events in order ({@link EventLoop});
 * requests run on a small pool of the backend's own threads, so callers never block on the target.
 */
public final class JdiBackend implements Backend {

    private static final AtomicLong IDS = new AtomicLong();
    private final long id = IDS.incrementAndGet();
    private final VirtualMachine vm;
    private final String address;
    private final DebugServer ownedServer;
    private final boolean heldAtEntry;
    private final BackendRequests requests;
    private final ThreadDirectory threads;
    private final ObjectHandles handles = new ObjectHandles();
    private final ValueReader values;
    private final StackReader stacks;
    private final AsyncStackReader asyncStacks;
    private final StopContexts stopContexts;
    private final BreakpointInstaller breakpoints;
    private final java.time.Duration invokeTimeout;
    private final Stepping stepping;
    private final Evaluator evaluator = new Evaluator();
    private final ClassBrowser classes;
    private final MonitorReader monitors;
    private final HotSwap hotSwap;
    private final ReturnValues returns;
    private final ObsoleteFrames obsoleteFrames = new ObsoleteFrames();
    private final CallSites callSites;
    private final LoadedSources sources;
    private final Throwables throwables;
    private final AgentBreakpoints agentBreakpoints;
    private final StopMarker stopMarker;
    /** Loads the agent capturing async stacks into an attached local JVM; null when launched or not asked for. */
    private final AsyncAttach asyncAttach;

    /** Held while the target is being resumed from outside the event thread. */
    private final Object resuming = new Object();
    /** Threads suspended on their own by {@link #pauseThread}, which {@link #resume} must let go as well. */
    private final Set<Long> pausedThreads = ConcurrentHashMap.newKeySet();
    private final HeldEvents events = new HeldEvents();
    private final EventLoop eventLoop;
    private volatile TargetEnding ending = TargetEnding.NONE;

    /**
     * @param ownedServer the debug server this backend launched and must stop at the end, or null when attached
     * @param heldAtEntry whether the target is suspended before running any code (launched with suspend=y)
     */
    JdiBackend(VirtualMachine vm, String address, DebugServer ownedServer, boolean heldAtEntry, JdiOptions options) {
        this.vm = vm;
        this.address = address;
        this.ownedServer = ownedServer;
        this.heldAtEntry = heldAtEntry;
        this.requests = new BackendRequests("sonde-jdi-" + id + "-request-", JdiErrors::translate,
                () -> "The session with the target has ended.", () -> false);
        this.threads = new ThreadDirectory(vm);
        this.values = new ValueReader(handles, options.readLimits());
        this.stacks = new StackReader(values, obsoleteFrames);
        this.asyncStacks = new AsyncStackReader(vm);
        this.invokeTimeout = options.invokeTimeout();
        this.breakpoints = new BreakpointInstaller(vm, evaluator, options.invokeTimeout());
        this.stepping = new Stepping(vm, options.stepFilters());
        this.classes = new ClassBrowser(vm, values);
        this.monitors = new MonitorReader(vm, threads);
        this.hotSwap = new HotSwap(vm, threads, obsoleteFrames);
        this.returns = new ReturnValues(values);
        this.callSites = new CallSites(options.stepFilters());
        this.sources = new LoadedSources(vm, options.stepFilters());
        this.throwables = new Throwables(evaluator, options.invokeTimeout());
        this.agentBreakpoints = new AgentBreakpoints(options.probeRoute(), this::localPid, threads::allSuspended, this::classRewritten,
                this::armStopMarker, new RunningCalls(vm, resuming, pausedThreads::contains, threads::allSuspended)::running, address, this::emit);
        this.stopMarker = new StopMarker(vm, agentBreakpoints::breakpointOfProbe);
        this.stopContexts = new StopContexts(asyncStacks, new OperationReader(vm));
        // The JDK classes the capture rewrites get JDI's view refreshed only: re-resolving the session's breakpoints there
        // would re-arm the agent's probes, which cannot answer while a stop holds the target.
        this.asyncAttach = ownedServer == null && options.asyncAttach() ? new AsyncAttach(this::localPid, threads::allSuspended, () -> AsyncAttach.captureOn(vm),
                rewritten -> requests.run(() -> vm.allClasses().stream().map(ReferenceType::name).filter(rewritten).distinct()
                        .forEach(name -> ClassRefresh.refresh(vm, name))), address, this::emit) : null;
        this.eventLoop = new EventLoop(vm, resuming, threads, values, breakpoints, evaluator, stepping, returns, obsoleteFrames, stopMarker,
                stopContexts, requests, events, options, this::finish);
    }

    /** Passes the launched target's output on as {@link Event.Output}, keeping it until the session starts. */
    void output(OutputCategory category, String text) {
        emit(new Event.Output(category, text));
    }

    @Override
    public void start(Consumer<Event> events) {
        eventLoop.requestThreadEvents();
        this.events.start(asyncAttach == null ? events : event -> {
            if (event instanceof Event.Stopped) {
                asyncAttach.beforeStop();
            }
            events.accept(event);
        });
        if (heldAtEntry) {
            ThreadReference main = threads.main();
            emit(new Event.Stopped(StopReason.ENTRY, main == null ? null : threads.stopped(main), null, List.of(), true));
        }
        eventLoop.start("sonde-jdi-" + id + "-events");
        if (asyncAttach != null) {
            asyncAttach.start();
        }
    }

    @Override
    public TargetInfo target() {
        return new TargetInfo("jvm", vm.name() + " " + vm.version(), address, ownedServer == null ? -1 : ownedServer.pid());
    }

    // ---- requests ----

    @Override
    public CompletableFuture<Breakpoint> setBreakpoint(int breakpointId, BreakpointSpec spec, BreakpointOptions options) {
        return requests.call(() -> {
            if (!agentBreakpoints.wanted(options)) {
                return breakpoints.set(breakpointId, spec, options);
            }
            // JDWP resolves the line (and reports a wrong one) first; a breakpoint the agent takes then leaves JDWP.
            agentBreakpoints.warmUp(breakpointId, spec, options);
            Breakpoint viaJdwp = breakpoints.set(breakpointId, spec, options, false);
            boolean agentTakes;
            try {
                agentTakes = agentBreakpoints.mayTake(breakpointId, spec, options, viaJdwp);
            } catch (SondeException refused) {
                breakpoints.clear(breakpointId);
                throw refused;
            }
            if (!agentTakes) {
                breakpoints.arm(breakpointId);
                return viaJdwp;
            }
            breakpoints.clear(breakpointId);
            Optional<Breakpoint> viaAgent = agentBreakpoints.set(breakpointId, spec, options, viaJdwp);
            return viaAgent.isPresent() ? viaAgent.get() : breakpoints.set(breakpointId, spec, options);
        });
    }

    @Override
    public CompletableFuture<Void> clearBreakpoint(int breakpointId) {
        return requests.run(() -> {
            if (agentBreakpoints.serves(breakpointId)) {
                agentBreakpoints.clear(breakpointId);
            } else {
                breakpoints.clear(breakpointId);
            }
        });
    }

    /** The agent rewrote {@code className}: JDI must read it anew, and JDWP set its breakpoints again. */
    private void classRewritten(String className) {
        ClassRefresh.refresh(vm, className);
        breakpoints.reinstallIn(className);
    }

    private void armStopMarker() {
        stopMarker.arm();
    }

    /** The target's pid when it runs on this machine: the one launched, or the local process serving the debug port. */
    private OptionalLong localPid() {
        if (ownedServer != null) {
            return OptionalLong.of(ownedServer.pid());
        }
        try {
            return PortOwner.of(HostPort.parse(address));
        } catch (RuntimeException unreadable) {
            return OptionalLong.empty();
        }
    }

    @Override
    public CompletableFuture<List<ThreadInfo>> threads() {
        return requests.call(threads::list);
    }

    @Override
    public CompletableFuture<List<Frame>> stackTrace(long threadId, int start, int count) {
        return requests.call(() -> {
            ThreadReference thread = threads.get(threadId);
            try {
                return stacks.frames(thread, start, count);
            } catch (IncompatibleThreadStateException e) {
                throw running(thread);
            }
        });
    }

    @Override
    public CompletableFuture<List<AsyncSegment>> asyncStack(long threadId) {
        return requests.call(() -> asyncStacks.read(threads.get(threadId)));
    }

    @Override
    public CompletableFuture<List<AsyncSegment>> asyncStack(long threadId, boolean machineryLines) {
        return requests.call(() -> asyncStacks.read(threads.get(threadId), machineryLines));
    }

    @Override
    public CompletableFuture<List<Variable>> variables(long threadId, int frameIndex, int depth) {
        return requests.call(() -> {
            List<Variable> read = stacks.variables(frame(threadId, frameIndex), depth);
            Variable returned = frameIndex == 0 ? returns.of(threadId).orElse(null) : null;
            if (returned == null) {
                return read;
            }
            List<Variable> all = new ArrayList<>(read.size() + 1);
            all.add(returned);
            all.addAll(read);
            return all;
        });
    }

    @Override
    public CompletableFuture<List<Variable>> children(long ref, int depth) {
        return requests.call(() -> values.children(handles.get(ref), depth));
    }

    @Override
    public CompletableFuture<Value> evaluate(long threadId, int frameIndex, String expression, boolean allowInvoke) {
        return requests.call(() -> {
            CompiledExpression compiled = evaluator.compile(expression);
            if (evaluator.isEvaluating(threads.get(threadId))) {
                throw SondeException.badState("Thread " + threadId + " is still running a method an earlier evaluation called;"
                        + " wait for it to return, then evaluate again.");
            }
            Evaluated result = compiled.evaluate(frame(threadId, frameIndex), new EvalOptions(allowInvoke, invokeTimeout));
            if (result.text() != null) {
                return values.hostText(result.text());
            }
            return result.typeName().equals("void") ? new Value.Unavailable("void", "void value") : values.read(result.value(), result.typeName(), 1);
        });
    }

    @Override
    public CompletableFuture<Void> resume() {
        return requests.run(() -> {
            handles.clear();
            returns.forgetAll();
            emit(new Event.Continued(0, true));
            synchronized (resuming) {
                vm.resume();
                // A thread paused on its own was suspended once more than the rest: let it go too.
                for (Long threadId : pausedThreads) {
                    pausedThreads.remove(threadId);
                    try {
                        threads.get(threadId).resume();
                    } catch (SondeException | ObjectCollectedException gone) {
                        // the thread has ended
                    }
                }
            }
        });
    }

    @Override
    public CompletableFuture<Void> resumeThread(long threadId) {
        return requests.run(() -> {
            ThreadReference thread = threads.get(threadId);
            handles.clear();
            pausedThreads.remove(threadId);
            returns.forget(threadId);
            emit(new Event.Continued(threadId, false));
            synchronized (resuming) {
                thread.resume();
            }
        });
    }

    @Override
    public CompletableFuture<Void> pause() {
        return requests.run(() -> {
            // Suspensions count: suspending a target that is already held would leave it held after one resume.
            if (!threads.allSuspended()) {
                vm.suspend();
            }
            ThreadReference main = threads.main();
            ThreadInfo thread = main == null ? null : threads.stopped(main);
            emit(stopContexts.add(new Event.Stopped(StopReason.PAUSE, thread, main == null ? null : topLocation(main), List.of(), true), main));
        });
    }

    @Override
    public CompletableFuture<Void> pauseThread(long threadId) {
        return requests.run(() -> {
            ThreadReference thread = threads.get(threadId);
            if (!thread.isSuspended()) {
                thread.suspend();
                pausedThreads.add(threadId);
            }
            emit(stopContexts.add(new Event.Stopped(StopReason.PAUSE, threads.stopped(thread), topLocation(thread), List.of(), false), thread));
        });
    }

    @Override
    public CompletableFuture<Void> step(long threadId, StepKind kind) {
        return stepFrom(threadId, thread -> stepping.start(thread, kind));
    }

    /** Arms a step of a stopped thread that has code on its stack, then resumes the target for it. */
    private CompletableFuture<Void> stepFrom(long threadId, Consumer<ThreadReference> arm) {
        return requests.run(() -> {
            ThreadReference thread = threads.get(threadId);
            if (!thread.isSuspended()) {
                throw SondeException.badState("Thread " + threadId + " is running; steps need a stopped thread, so wait for a stop or pause first.");
            }
            try {
                if (thread.frameCount() == 0) {
                    throw SondeException.badState("Thread " + threadId + " has not started running code yet; set a breakpoint and continue instead.");
                }
            } catch (IncompatibleThreadStateException e) {
                throw running(thread);
            }
            armAndResume(thread, arm);
        });
    }

    private void armAndResume(ThreadReference thread, Consumer<ThreadReference> arm) {
        returns.forgetAll();
        arm.accept(thread);
        handles.clear();
        emit(new Event.Continued(0, true));
        synchronized (resuming) {
            vm.resume();
        }
    }

    @Override
    public CompletableFuture<Void> restartFrame(long threadId, int frameIndex) {
        return requests.run(() -> {
            ThreadReference thread = threads.get(threadId);
            if (!thread.isSuspended()) {
                throw SondeException.badState("Thread " + threadId + " is running; restarting a frame needs a stopped thread, so wait for a stop or pause first.");
            }
            if (!vm.canPopFrames()) {
                throw new SondeException(ErrorKind.UNSUPPORTED, "This JVM (" + vm.name() + ") cannot drop frames, so frames cannot be restarted.");
            }
            List<StackFrame> frames;
            try {
                frames = thread.frames();
            } catch (IncompatibleThreadStateException e) {
                throw running(thread);
            }
            if (frameIndex < 0 || frameIndex >= frames.size()) {
                throw SondeException.notFound("There is no frame " + frameIndex + "; the stack has " + frames.size() + " frame"
                        + (frames.size() == 1 ? "" : "s") + " (0 is the top).");
            }
            if (frameIndex == frames.size() - 1) {
                throw SondeException.badState("Frame " + frameIndex + " (" + Locations.of(frames.get(frameIndex).location()).method()
                        + ") is the bottom of the stack: no caller can call it again, so it cannot be restarted; restart a frame above it.");
            }
            for (int i = 0; i <= frameIndex + 1; i++) {
                com.sun.jdi.Method method = frames.get(i).location().method();
                if (method.isNative()) {
                    throw SondeException.badState("Frame " + i + " (" + method.declaringType().name() + "." + method.name()
                            + ") is a native method, which the JVM cannot drop or return into; restart a frame above it.");
                }
            }
            try {
                thread.popFrames(frames.get(frameIndex));
            } catch (OpaqueFrameException refused) {
                throw SondeException.badState(thread.isVirtual()
                        ? "The JVM refuses to drop frames of virtual thread " + threadId + " here (it allows it only in a virtual thread"
                        + " stopped at a breakpoint or step, not in a JDK frame); stop in the method and restart from there."
                        : "The JVM refuses to drop frame " + frameIndex + " of thread " + threadId + " (" + refused.getMessage() + ").");
            } catch (IncompatibleThreadStateException e) {
                throw running(thread);
            }
            // Back at the call in the caller: stepping into it runs the method again from its first line.
            armAndResume(thread, stopped -> stepping.start(stopped, StepKind.INTO));
        });
    }

    @Override
    public CompletableFuture<Redefinition> redefineClasses(Map<String, byte[]> classes) {
        return requests.call(() -> {
            synchronized (resuming) {
                return hotSwap.redefine(classes, replaced -> {
                    for (Breakpoint changed : breakpoints.redefined(replaced)) {
                        emit(new Event.BreakpointChanged(changed, Event.BreakpointChanged.Change.UPDATED));
                    }
                });
            }
        });
    }

    @Override
    public CompletableFuture<List<Variable>> children(long ref, int start, int count, int depth) {
        return requests.call(() -> values.children(handles.get(ref), start, count, depth));
    }

    @Override
    public CompletableFuture<List<Variable>> staticVariables(long threadId, int frameIndex) {
        return requests.call(() -> values.staticFields(frame(threadId, frameIndex).location().declaringType(), 0));
    }

    @Override
    public CompletableFuture<List<StepTarget>> stepInTargets(long threadId, int frameIndex) {
        return requests.call(() -> callSites.at(frame(threadId, frameIndex).location()));
    }

    @Override
    public CompletableFuture<Void> stepInto(long threadId, StepTarget target) {
        return stepFrom(threadId, thread -> stepping.startInto(thread, target));
    }

    @Override
    public CompletableFuture<List<Integer>> codeLines(String sourcePath, int fromLine, int toLine) {
        return requests.call(() -> sources.codeLines(sourcePath, fromLine, toLine));
    }

    @Override
    public CompletableFuture<List<String>> loadedSources() {
        return requests.call(sources::paths);
    }

    @Override
    public CompletableFuture<ThrowableInfo> throwable(long threadId, long ref) {
        return requests.call(() -> throwables.read(threads.get(threadId), handles.get(ref)));
    }

    @Override
    public CompletableFuture<String> toText(long threadId, long ref) {
        return requests.call(() -> {
            com.sun.jdi.ObjectReference object = handles.get(ref);
            if (!(object.referenceType() instanceof com.sun.jdi.ClassType type)) {
                throw SondeException.invalidInput("Value @" + ref + " is an array; open it to see its elements.");
            }
            com.sun.jdi.Method toString = type.concreteMethodByName("toString", "()Ljava/lang/String;");
            com.sun.jdi.Value text = evaluator.invoke(threads.get(threadId), object, toString, invokeTimeout);
            return text instanceof com.sun.jdi.StringReference string ? string.value() : "null";
        });
    }

    @Override
    public CompletableFuture<List<Completion>> completions(long threadId, int frameIndex, String text, int column) {
        return requests.call(() -> evaluator.completions(frame(threadId, frameIndex), text, column));
    }

    @Override
    public CompletableFuture<List<String>> classNames(String prefix) {
        return requests.call(() -> vm.allClasses().stream()
                .map(ReferenceType::name)
                .filter(n -> n.startsWith(prefix) && !n.endsWith("[]"))
                .distinct().sorted().limit(500).toList());
    }

    @Override
    public CompletableFuture<ClassList> classes(ClassPattern pattern, int limit) {
        return requests.call(() -> classes.classes(pattern, limit));
    }

    @Override
    public CompletableFuture<ClassMethods> methods(String className) {
        return requests.call(() -> classes.methods(className));
    }

    @Override
    public CompletableFuture<List<Instances>> instances(String className, int first) {
        return requests.call(() -> classes.instances(className, first));
    }

    @Override
    public CompletableFuture<MonitorReport> monitors() {
        return requests.call(() -> {
            synchronized (resuming) {
                return monitors.read();
            }
        });
    }

    @Override
    public CompletableFuture<Void> detach() {
        return requests.run(() -> {
            ending = TargetEnding.DETACH;
            if (asyncAttach != null) {
                asyncAttach.close();
            }
            handles.clear();
            try {
                vm.dispose();
            } catch (VMDisconnectedException alreadyLetGo) {
                // A JDWP command sent meanwhile (an event set's resume, say) can make the target close the socket
                // before Dispose's reply is read; either way the connection is gone and the target runs on.
            }
            // after letting go, so a target that was stopped runs and its agent can remove this session's probes
            agentBreakpoints.close();
        });
    }

    @Override
    public CompletableFuture<Void> terminate() {
        return requests.run(() -> {
            ending = TargetEnding.TERMINATE;
            if (ownedServer != null) {
                ownedServer.kill();
            } else {
                try {
                    vm.exit(1);
                } catch (VMDisconnectedException alreadyEnding) {
                    // the target is gone or going, which is what was asked
                }
            }
        });
    }

    private StackFrame frame(long threadId, int frameIndex) {
        ThreadReference thread = threads.get(threadId);
        try {
            return stacks.frame(thread, frameIndex);
        } catch (IncompatibleThreadStateException e) {
            throw running(thread);
        }
    }

    private Location topLocation(ThreadReference thread) {
        try {
            return thread.frameCount() == 0 ? null : Locations.of(thread.frame(0).location());
        } catch (IncompatibleThreadStateException e) {
            return null;
        }
    }

    private SondeException running(ThreadReference thread) {
        if (ThreadDirectory.isGone(thread)) {
            return SondeException.notFound("Thread " + thread.uniqueID() + " has ended; `threads` lists the live ones.");
        }
        return SondeException.badState("Thread " + thread.uniqueID() + " is running; wait for a stop or pause it to read its stack.");
    }

    // ---- events ----

    private void emit(Event event) {
        events.emit(event);
    }

    private void finish() {
        requests.shutdownNow();
        if (asyncAttach != null) {
            asyncAttach.close();
        }
        agentBreakpoints.close();
        emit(ending.finish(ownedServer, null, eventLoop.vmDied()));
    }
}
