package dev.sonde.jdi.events;

import com.sun.jdi.Field;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.VoidValue;
import com.sun.jdi.event.AccessWatchpointEvent;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.ExceptionEvent;
import com.sun.jdi.event.LocatableEvent;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.ModificationWatchpointEvent;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.event.ThreadStartEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.event.VMStartEvent;
import com.sun.jdi.event.WatchpointEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.ThreadDeathRequest;
import com.sun.jdi.request.ThreadStartRequest;
import dev.sonde.core.backend.BackendRequests;
import dev.sonde.core.backend.HeldEvents;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.jdi.JdiOptions;
import dev.sonde.jdi.agent.StopMarker;
import dev.sonde.jdi.breakpoints.BreakpointHits;
import dev.sonde.jdi.breakpoints.BreakpointInstaller;
import dev.sonde.jdi.breakpoints.HitPolicy;
import dev.sonde.jdi.eval.Evaluator;
import dev.sonde.jdi.frames.Locations;
import dev.sonde.jdi.operations.StopContexts;
import dev.sonde.jdi.frames.ObsoleteFrames;
import dev.sonde.jdi.frames.ReturnValues;
import dev.sonde.jdi.stepping.Stepping;
import dev.sonde.jdi.threads.ThreadDirectory;
import dev.sonde.jdi.values.ObjectHandles;
import dev.sonde.jdi.values.ValueReader;

import java.util.ArrayList;
import java.util.List;

/**
 * The JDWP event loop: one thread reads the target's event sets in order and turns each into Sonde events,
 * deciding whether it stops the target (breakpoint conditions, hit counts and actions, steps, entry) or lets it go on.
 * A hit whose condition or action runs code in the target is decided on a request thread, so this thread stays free
 * for the events that code causes.
 */
public final class EventLoop {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final VirtualMachine vm;
    private final Object resuming;
    private final ThreadDirectory threads;
    private final ValueReader values;
    private final BreakpointInstaller breakpoints;
    private final BreakpointHits hits;
    private final Evaluator evaluator;
    private final Stepping stepping;
    private final ReturnValues returns;
    private final ObsoleteFrames obsolete;
    private final StopMarker marker;
    private final StopContexts contexts;
    private final BackendRequests requests;
    private final HeldEvents events;
    private final Runnable ended;
    private volatile boolean vmDied;

    /**
     * @param resuming held by whoever resumes the target from outside this loop, while it does; the loop waits for it
     *                 before handling each event set
     * @param requests the backend's request threads, where hits that run target code are decided
     * @param returns  where what a method returned is kept, for a step out and a method-exit stop
     * @param contexts what a stop says besides where (the first hand-off, the operations open), and whether a hit is
     *                 inside an operation
     * @param events   where the Sonde events go
     * @param ended    called once, on the loop's thread, when the connection is over
     */
    public EventLoop(VirtualMachine vm, Object resuming, ThreadDirectory threads, ValueReader values, BreakpointInstaller breakpoints,
                     Evaluator evaluator, Stepping stepping, ReturnValues returns, ObsoleteFrames obsolete, StopMarker marker,
                     StopContexts contexts, BackendRequests requests, HeldEvents events, JdiOptions options, Runnable ended) {
        this.marker = marker;
        this.contexts = contexts;
        this.vm = vm;
        this.resuming = resuming;
        this.threads = threads;
        this.values = values;
        this.breakpoints = breakpoints;
        this.evaluator = evaluator;
        this.stepping = stepping;
        this.returns = returns;
        this.obsolete = obsolete;
        this.requests = requests;
        this.events = events;
        this.ended = ended;
        this.hits = new BreakpointHits(new ValueReader(ObjectHandles.none(), options.readLimits()), threads::stopped, events::emit,
                this::removeAfterWork, options.stopOnConditionError(), options.snapshotDepth(), contexts.operations()::inOperation);
    }

    /** Asks the target to report its platform threads starting and ending, without suspending them. */
    public void requestThreadEvents() {
        ThreadStartRequest starts = vm.eventRequestManager().createThreadStartRequest();
        starts.addPlatformThreadsOnlyFilter();
        starts.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        starts.enable();
        ThreadDeathRequest deaths = vm.eventRequestManager().createThreadDeathRequest();
        deaths.addPlatformThreadsOnlyFilter();
        deaths.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        deaths.enable();
    }

    /** Starts the loop on a daemon thread of its own, which counts as one of the backend's threads. */
    public void start(String threadName) {
        Thread.ofPlatform().daemon().name(threadName).start(() -> {
            requests.adopt();
            run();
        });
    }

    /** Whether the target said it was dying (a VM death event) before the connection ended. */
    public boolean vmDied() {
        return vmDied;
    }

    private void run() {
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
                    events.emit(new Event.Error("Sonde failed to handle a target event (" + e.getMessage() + "); the target was resumed."));
                    resumeQuietly(set);
                }
            }
        } catch (VMDisconnectedException | InterruptedException e) {
            // the connection is over
        } finally {
            ended.run();
        }
    }

    /** What one event set stops the target for, gathered event by event. */
    private final class StopBuilder {
        StopReason reason;
        ThreadReference thread;
        com.sun.jdi.Location location;
        StopDetail detail;
        MethodExitEvent returning;
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
            if (hit instanceof MethodExitEvent exit) {
                returning = exit;
            }
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
                    int fromMarker = Stepping.markerBreakpoint(step);
                    if (stepping.landed(step)) {
                        if (fromMarker > 0) {
                            stop.breakpoint(fromMarker, step);
                        } else {
                            stop.add(StopReason.STEP, step.thread(), step.location(), null);
                        }
                    }
                }
                case BreakpointEvent hit when marker.isMarker(hit.request()) -> {
                    // The agent decided this stop in process; show it at the probed line, one step out.
                    int breakpointId = marker.breakpointOf(hit);
                    if (breakpointId > 0 && !evaluator.isEvaluating(hit.thread())) {
                        stepping.outOfMarker(hit.thread(), breakpointId);
                    }
                }
                case MethodExitEvent exit when Stepping.watchesReturn(exit.request()) -> {
                    if (stepping.returned(exit)) {
                        caught(exit);
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
                case MethodEntryEvent entry when stepping.aims(entry.request()) -> {
                    if (stepping.entered(entry)) {
                        stop.add(StopReason.STEP, entry.thread(), entry.location(), null);
                    }
                }
                case ClassPrepareEvent prepared -> {
                    Breakpoint changed = breakpoints.classPrepared(prepared.request(), prepared.referenceType());
                    if (changed != null) {
                        events.emit(new Event.BreakpointChanged(changed, Event.BreakpointChanged.Change.UPDATED));
                    }
                }
                case ThreadStartEvent started -> events.emit(new Event.ThreadStarted(threads.started(started.thread())));
                case ThreadDeathEvent died -> {
                    ThreadInfo info = threads.stopped(died.thread());
                    threads.forget(died.thread());
                    obsolete.forget(info.id());
                    events.emit(new Event.ThreadExited(info.id(), info.name()));
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
                    events.emit(new Event.Error("Sonde failed to handle a breakpoint hit (" + e.getMessage() + "); the thread was resumed."));
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
        if (stop.returning != null) {
            caught(stop.returning);
        }
        events.emit(contexts.add(new Event.Stopped(stop.reason, stop.thread == null ? null : threads.stopped(stop.thread),
                stop.location == null ? null : Locations.of(stop.location), stop.breakpointIds, allThreads, stop.detail), stop.thread));
    }

    /** Keeps what a method returned, for the top frame's variables. */
    private void caught(MethodExitEvent exit) {
        long threadId = exit.thread().uniqueID();
        String name = exit.method().name();
        if (exit.method().isObsolete()) {
            try {
                name = obsolete.name(threadId, exit.thread().frameCount(), exit.method());
            } catch (com.sun.jdi.IncompatibleThreadStateException e) {
                // keep JDI's name
            }
        }
        returns.caught(threadId, exit.method(), name, exit.returnValue());
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
            events.emit(new Event.BreakpointChanged(last, Event.BreakpointChanged.Change.REMOVED));
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

}
