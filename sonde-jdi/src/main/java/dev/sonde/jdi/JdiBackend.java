package dev.sonde.jdi;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
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
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Completion;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.PortOwner;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.jdi.agent.AgentLogpoints;
import dev.sonde.jdi.asyncstacks.AsyncStackReader;
import dev.sonde.jdi.breakpoints.BreakpointInstaller;
import dev.sonde.jdi.classes.ClassBrowser;
import dev.sonde.jdi.eval.CompiledExpression;
import dev.sonde.jdi.eval.EvalOptions;
import dev.sonde.jdi.eval.Evaluated;
import dev.sonde.jdi.eval.Evaluator;
import dev.sonde.jdi.events.EventLoop;
import dev.sonde.jdi.frames.Locations;
import dev.sonde.jdi.frames.StackReader;
import dev.sonde.jdi.locks.MonitorReader;
import dev.sonde.jdi.stepping.Stepping;
import dev.sonde.jdi.threads.ThreadDirectory;
import dev.sonde.jdi.values.ObjectHandles;
import dev.sonde.jdi.values.ValueReader;

import java.util.List;
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
    private final BreakpointInstaller breakpoints;
    private final java.time.Duration invokeTimeout;
    private final Stepping stepping;
    private final Evaluator evaluator = new Evaluator();
    private final ClassBrowser classes;
    private final MonitorReader monitors;
    private final AgentLogpoints agentLogpoints;

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
        this.stacks = new StackReader(values);
        this.asyncStacks = new AsyncStackReader(vm);
        this.invokeTimeout = options.invokeTimeout();
        this.breakpoints = new BreakpointInstaller(vm, evaluator, options.invokeTimeout());
        this.stepping = new Stepping(vm, options.stepFilters());
        this.classes = new ClassBrowser(vm, values);
        this.monitors = new MonitorReader(vm, threads);
        this.agentLogpoints = new AgentLogpoints(options.probeRoute(), this::localPid, threads::allSuspended, breakpoints::reinstallIn,
                address, this::emit);
        this.eventLoop = new EventLoop(vm, resuming, threads, values, breakpoints, evaluator, stepping, requests, events, options, this::finish);
    }

    /** Passes the launched target's output on as {@link Event.Output}, keeping it until the session starts. */
    void output(OutputCategory category, String text) {
        emit(new Event.Output(category, text));
    }

    @Override
    public void start(Consumer<Event> events) {
        eventLoop.requestThreadEvents();
        this.events.start(events);
        if (heldAtEntry) {
            ThreadReference main = threads.main();
            emit(new Event.Stopped(StopReason.ENTRY, main == null ? null : threads.stopped(main), null, List.of(), true));
        }
        eventLoop.start("sonde-jdi-" + id + "-events");
    }

    @Override
    public TargetInfo target() {
        return new TargetInfo("jvm", vm.name() + " " + vm.version(), address, ownedServer == null ? -1 : ownedServer.pid());
    }

    // ---- requests ----

    @Override
    public CompletableFuture<Breakpoint> setBreakpoint(int breakpointId, BreakpointSpec spec, BreakpointOptions options) {
        return requests.call(() -> {
            if (!agentLogpoints.wanted(options)) {
                return breakpoints.set(breakpointId, spec, options);
            }
            // JDWP resolves the line (and reports a wrong one) first; a logpoint the agent takes then leaves JDWP.
            agentLogpoints.warmUp(breakpointId, spec, options);
            Breakpoint viaJdwp = breakpoints.set(breakpointId, spec, options, false);
            boolean agentTakes;
            try {
                agentTakes = agentLogpoints.mayTake(breakpointId, spec, options, viaJdwp);
            } catch (SondeException refused) {
                breakpoints.clear(breakpointId);
                throw refused;
            }
            if (!agentTakes) {
                breakpoints.arm(breakpointId);
                return viaJdwp;
            }
            breakpoints.clear(breakpointId);
            Optional<Breakpoint> viaAgent = agentLogpoints.set(breakpointId, spec, options, viaJdwp);
            return viaAgent.isPresent() ? viaAgent.get() : breakpoints.set(breakpointId, spec, options);
        });
    }

    @Override
    public CompletableFuture<Void> clearBreakpoint(int breakpointId) {
        return requests.run(() -> {
            if (agentLogpoints.serves(breakpointId)) {
                agentLogpoints.clear(breakpointId);
            } else {
                breakpoints.clear(breakpointId);
            }
        });
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
    public CompletableFuture<List<Variable>> variables(long threadId, int frameIndex, int depth) {
        return requests.call(() -> stacks.variables(frame(threadId, frameIndex), depth));
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
            emit(new Event.Stopped(StopReason.PAUSE, thread, main == null ? null : topLocation(main), List.of(), true));
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
            emit(new Event.Stopped(StopReason.PAUSE, threads.stopped(thread), topLocation(thread), List.of(), false));
        });
    }

    @Override
    public CompletableFuture<Void> step(long threadId, StepKind kind) {
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
            stepping.start(thread, kind);
            handles.clear();
            emit(new Event.Continued(0, true));
            synchronized (resuming) {
                vm.resume();
            }
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
            handles.clear();
            vm.dispose();
            // after letting go, so a target that was stopped runs and its agent can remove this session's probes
            agentLogpoints.close();
        });
    }

    @Override
    public CompletableFuture<Void> terminate() {
        return requests.run(() -> {
            ending = TargetEnding.TERMINATE;
            if (ownedServer != null) {
                ownedServer.kill();
            } else {
                vm.exit(1);
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
        agentLogpoints.close();
        emit(ending.finish(ownedServer, null, eventLoop.vmDied()));
    }
}
