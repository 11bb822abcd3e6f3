package dev.sonde.jdi;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StringReference;
import com.sun.jdi.VoidValue;
import com.sun.jdi.event.AccessWatchpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.ExceptionEvent;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.ModificationWatchpointEvent;
import com.sun.jdi.event.WatchpointEvent;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.event.ThreadStartEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.event.VMStartEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.ThreadDeathRequest;
import com.sun.jdi.request.ThreadStartRequest;
import dev.sonde.core.backend.Backend;
import dev.sonde.core.backend.BackendRequests;
import dev.sonde.core.backend.HeldEvents;
import dev.sonde.core.backend.StepKind;
import dev.sonde.core.backend.TargetEnding;
import dev.sonde.core.backend.TargetInfo;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.jdi.breakpoints.BreakpointHits;
import dev.sonde.jdi.breakpoints.BreakpointInstaller;
import dev.sonde.jdi.breakpoints.HitPolicy;
import dev.sonde.jdi.eval.CompiledExpression;
import dev.sonde.jdi.eval.EvalOptions;
import dev.sonde.jdi.eval.Evaluated;
import dev.sonde.jdi.eval.Evaluator;
import dev.sonde.jdi.frames.Locations;
import dev.sonde.jdi.frames.StackReader;
import dev.sonde.jdi.stepping.Stepping;
import dev.sonde.jdi.threads.ThreadDirectory;
import dev.sonde.jdi.values.ObjectHandles;
import dev.sonde.jdi.values.ValueReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The JVM backend: JDWP through JDI. One event thread reads the target's events in order; requests run
 * on a small pool of the backend's own threads, so callers never block on the target.
 */
public final class JdiBackend implements Backend {

    private static final System.Logger LOG = System.getLogger(JdiBackend.class.getName());
    private static final AtomicLong IDS = new AtomicLong();
    /** The backend whose event or request thread this is, if any. */

    /** What ended the connection, as far as this side knows. */

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
    private final BreakpointInstaller breakpoints;
    private final BreakpointHits hits;
    private final java.time.Duration invokeTimeout;
    private final Stepping stepping;
    private final Evaluator evaluator = new Evaluator();

    /** Held while the target is being resumed from outside the event thread. */
    private final Object resuming = new Object();
    /** Threads suspended on their own by {@link #pauseThread}, which {@link #resume} must let go as well. */
    private final Set<Long> pausedThreads = ConcurrentHashMap.newKeySet();
    private final HeldEvents events = new HeldEvents();
    private volatile TargetEnding ending = TargetEnding.NONE;
    private volatile boolean vmDied;

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
        this.invokeTimeout = options.invokeTimeout();
        this.breakpoints = new BreakpointInstaller(vm, evaluator, options.invokeTimeout());
        this.hits = new BreakpointHits(new ValueReader(ObjectHandles.none(), options.readLimits()), threads::stopped, this::emit,
                this::removeAfterWork, options.stopOnConditionError(), options.snapshotDepth());
        this.stepping = new Stepping(vm, options.stepFilters());
    }

    /** Passes the launched target's output on as {@link Event.Output}, keeping it until the session starts. */
    void output(OutputCategory category, String text) {
        emit(new Event.Output(category, text));
    }

    @Override
    public void start(Consumer<Event> events) {
        ThreadStartRequest starts = vm.eventRequestManager().createThreadStartRequest();
        starts.addPlatformThreadsOnlyFilter();
        starts.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        starts.enable();
        ThreadDeathRequest deaths = vm.eventRequestManager().createThreadDeathRequest();
        deaths.addPlatformThreadsOnlyFilter();
        deaths.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        deaths.enable();
        this.events.start(events);
        if (heldAtEntry) {
            ThreadReference main = threads.main();
            emit(new Event.Stopped(StopReason.ENTRY, main == null ? null : threads.stopped(main), null, List.of(), true));
        }
        Thread.ofPlatform().daemon().name("sonde-jdi-" + id + "-events").start(() -> {
            requests.adopt();
            eventLoop();
        });
    }

    @Override
    public TargetInfo target() {
        return new TargetInfo("jvm", vm.name() + " " + vm.version(), address, ownedServer == null ? -1 : ownedServer.pid());
    }

    // ---- requests ----

    @Override
    public CompletableFuture<Breakpoint> setBreakpoint(int breakpointId, BreakpointSpec spec, BreakpointOptions options) {
        return requests.call(() -> breakpoints.set(breakpointId, spec, options));
    }

    @Override
    public CompletableFuture<Void> clearBreakpoint(int breakpointId) {
        return requests.run(() -> breakpoints.clear(breakpointId));
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
            if (!allSuspended()) {
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

    private boolean allSuspended() {
        for (ThreadReference thread : vm.allThreads()) {
            try {
                if (!thread.isSuspended()) {
                    return false;
                }
            } catch (ObjectCollectedException gone) {
                // an ended thread holds nothing up
            }
        }
        return true;
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
    public CompletableFuture<List<String>> classNames(String prefix) {
        return requests.call(() -> vm.allClasses().stream()
                .map(ReferenceType::name)
                .filter(n -> n.startsWith(prefix) && !n.endsWith("[]"))
                .distinct().sorted().limit(500).toList());
    }

    @Override
    public CompletableFuture<Void> detach() {
        return requests.run(() -> {
            ending = TargetEnding.DETACH;
            handles.clear();
            vm.dispose();
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

    private void eventLoop() {
        try {
            while (true) {
                EventSet set = vm.eventQueue().remove();
                // JDI sends a resume before it forgets the frames it cached at the stop; an event that the resumed
                // target sends at once must not be handled with those frames, so wait for the resume to finish.
                synchronized (resuming) {
                    // nothing: a barrier
                }
                try {
                    if (handle(set)) {
                        break;
                    }
                } catch (VMDisconnectedException e) {
                    break;
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "handling " + set, e);
                    emit(new Event.Error("Sonde failed to handle a target event (" + e.getMessage() + "); the target was resumed."));
                    resumeQuietly(set);
                }
            }
        } catch (VMDisconnectedException | InterruptedException e) {
            // the connection is over
        } finally {
            finish();
        }
    }

    /** What one event set stops the target for, gathered event by event. */
    private final class StopBuilder {
        StopReason reason;
        ThreadReference thread;
        com.sun.jdi.Location location;
        StopDetail detail;
        final List<Integer> breakpointIds = new ArrayList<>(1);

        void add(StopReason why, ThreadReference where, com.sun.jdi.Location at, StopDetail what) {
            if (reason == null || reason == StopReason.STEP) {
                reason = why;
                thread = where;
                location = at;
            }
            if (what != null) {
                detail = what;
            }
        }

        void breakpoint(int breakpointId, LocatableEvent hit) {
            breakpointIds.add(breakpointId);
            add(reasonOf(hit), hit.thread(), hit.location(), detailOf(hit));
        }
    }

    /** A hit of a breakpoint whose condition, hit count or action must be worked out before anyone knows whether it stops. */
    private record PendingHit(HitPolicy policy, LocatableEvent event) {
    }

    /** Handles one event set; returns true when the connection is over. */
    private boolean handle(EventSet set) {
        StopBuilder stop = new StopBuilder();
        List<PendingHit> pending = new ArrayList<>(0);
        boolean over = false;
        for (com.sun.jdi.event.Event event : set) {
            switch (event) {
                case StepEvent step -> {
                    if (stepping.landed(step)) {
                        stop.add(StopReason.STEP, step.thread(), step.location(), null);
                    }
                }
                case LocatableEvent hit when BreakpointInstaller.idOf(hit.request()) > 0 -> {
                    int breakpointId = BreakpointInstaller.idOf(hit.request());
                    HitPolicy policy = breakpoints.policy(breakpointId);
                    if (policy == null || !breakpoints.isHit(breakpointId, hit) || evaluator.isEvaluating(hit.thread())) {
                        // Gone, another method of the class, or code run by an evaluation: not a hit.
                        continue;
                    }
                    if (policy.plainStop()) {
                        if (policy.options().temporary()) {
                            // The session reports the removal right after the stop.
                            breakpoints.clear(breakpointId);
                        }
                        stop.breakpoint(breakpointId, hit);
                    } else {
                        pending.add(new PendingHit(policy, hit));
                    }
                }
                case ClassPrepareEvent prepared -> {
                    Breakpoint changed = breakpoints.classPrepared(prepared.request(), prepared.referenceType());
                    if (changed != null) {
                        emit(new Event.BreakpointChanged(changed, Event.BreakpointChanged.Change.UPDATED));
                    }
                }
                case ThreadStartEvent started -> emit(new Event.ThreadStarted(threads.started(started.thread())));
                case ThreadDeathEvent died -> {
                    ThreadInfo info = threads.stopped(died.thread());
                    threads.forget(died.thread());
                    emit(new Event.ThreadExited(info.id(), info.name()));
                }
                case VMDeathEvent ignored -> {
                    vmDied = true;
                    evaluator.targetDying();
                }
                case VMDisconnectEvent ignored -> {
                    over = true;
                    evaluator.targetDying();
                }
                case VMStartEvent start -> {
                    // A held target's start event that came after the connector stopped waiting for it: the
                    // target is held at entry now, so report that rather than resume it.
                    if (set.suspendPolicy() != EventRequest.SUSPEND_NONE) {
                        stop.add(StopReason.ENTRY, start.thread(), null, null);
                    }
                }
                default -> {
                    // Other kinds are never requested.
                }
            }
        }
        if (over) {
            return true;
        }
        if (pending.stream().anyMatch(hit -> hit.policy().runsTargetCode())) {
            // Code run in the target may cause events of its own; the event thread must stay free to handle them.
            requests.execute(() -> {
                try {
                    decide(pending, stop);
                    conclude(set, stop);
                } catch (VMDisconnectedException gone) {
                    // the session ends through the event thread
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "breakpoint hit", e);
                    emit(new Event.Error("Sonde failed to handle a breakpoint hit (" + e.getMessage() + "); the thread was resumed."));
                    resumeQuietly(set);
                }
            });
            return false;
        }
        decide(pending, stop);
        conclude(set, stop);
        return false;
    }

    private void decide(List<PendingHit> pending, StopBuilder stop) {
        for (PendingHit hit : pending) {
            if (hits.hit(hit.policy(), hit.event()) instanceof BreakpointHits.Decision.Stop decided) {
                if (hit.policy().options().temporary()) {
                    breakpoints.clear(decided.breakpointId());
                }
                stop.breakpoint(decided.breakpointId(), hit.event());
            }
        }
    }

    /** Stops the whole target when something in the set stops it, else lets the set's threads go on. */
    private void conclude(EventSet set, StopBuilder stop) {
        if (stop.reason == null || stop.thread != null && evaluator.isEvaluating(stop.thread)) {
            // Nothing stops here, or code that an evaluation runs in the target got here and must run on.
            resumeQuietly(set);
            return;
        }
        stepping.cancelAll();
        if (set.suspendPolicy() == EventRequest.SUSPEND_EVENT_THREAD) {
            // Only the hitting thread is held: hold the rest too, and leave one suspension on every thread.
            vm.suspend();
            set.resume();
        }
        boolean allThreads = set.suspendPolicy() != EventRequest.SUSPEND_NONE;
        emit(new Event.Stopped(stop.reason, stop.thread == null ? null : threads.stopped(stop.thread),
                stop.location == null ? null : Locations.of(stop.location), stop.breakpointIds, allThreads, stop.detail));
    }

    private static StopReason reasonOf(LocatableEvent hit) {
        return switch (hit) {
            case ExceptionEvent ignored -> StopReason.EXCEPTION;
            case MethodExitEvent ignored -> StopReason.METHOD_EXIT;
            case WatchpointEvent ignored -> StopReason.WATCHPOINT;
            default -> StopReason.BREAKPOINT;
        };
    }

    private StopDetail detailOf(LocatableEvent hit) {
        return switch (hit) {
            case ExceptionEvent thrown -> {
                ObjectReference exception = thrown.exception();
                String type = exception.referenceType().name();
                Field detailField = exception.referenceType().fieldByName("detailMessage");
                String message = detailField != null && exception.getValue(detailField) instanceof StringReference text ? text.value() : null;
                yield new StopDetail.ExceptionThrown(values.read(exception, type, 0), type, message,
                        thrown.catchLocation() == null ? null : Locations.of(thrown.catchLocation()));
            }
            case MethodExitEvent returning -> new StopDetail.Returning(
                    returning.method().declaringType().name() + "." + returning.method().name(),
                    returning.returnValue() instanceof VoidValue ? new Value.Unavailable("void", "void")
                            : values.read(returning.returnValue(), returning.method().returnTypeName(), 0));
            case ModificationWatchpointEvent modified -> new StopDetail.FieldModified(fieldName(modified.field()),
                    values.read(modified.valueCurrent(), modified.field().typeName(), 0),
                    values.read(modified.valueToBe(), modified.field().typeName(), 0));
            case AccessWatchpointEvent accessed -> new StopDetail.FieldAccessed(fieldName(accessed.field()),
                    values.read(accessed.valueCurrent(), accessed.field().typeName(), 0));
            default -> null;
        };
    }

    private static String fieldName(Field field) {
        String owner = field.declaringType().name();
        return owner.substring(owner.lastIndexOf('.') + 1) + "." + field.name();
    }

    /** Removes a breakpoint that has done what it was for without stopping (a temporary logpoint, a snapshot's last capture) and says so. */
    private void removeAfterWork(int breakpointId) {
        Breakpoint last = breakpoints.clear(breakpointId);
        if (last != null) {
            emit(new Event.BreakpointChanged(last, Event.BreakpointChanged.Change.REMOVED));
        }
    }

    private static void resumeQuietly(EventSet set) {
        try {
            if (set.suspendPolicy() != EventRequest.SUSPEND_NONE) {
                set.resume();
            }
        } catch (VMDisconnectedException ignored) {
            // nothing left to resume
        }
    }

    private void finish() {
        requests.shutdownNow();
        emit(ending.finish(ownedServer, null, vmDied));
    }
}
