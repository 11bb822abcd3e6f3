package dev.sonde.jdi.stepping;

import com.sun.jdi.ClassType;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InterfaceType;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.MethodEntryRequest;
import com.sun.jdi.request.MethodExitRequest;
import com.sun.jdi.request.StepRequest;
import dev.sonde.core.backend.StepKind;
import dev.sonde.core.model.StepTarget;

import java.util.List;

/** Creates line steps with Sonde's filters, and decides whether a finished step has reached user code. */
public final class Stepping {

    /** Property on our step requests holding the {@link StepKind} the user asked for. */
    private static final String KIND = "sonde.step";
    private static final String HOPS = "sonde.step.hops";
    /** Property on the step out of the agent's stop marker: the breakpoint it stops for. */
    private static final String MARKER_BREAKPOINT = "sonde.step.markerBreakpoint";
    /** Enough to walk through any chain of bridges and accessors; a guard against looping forever. */
    private static final int MAX_HOPS = 64;
    /** Property on the method-exit request of a step out: the {@link Leaving} frame whose return value it catches. */
    private static final String LEAVING = "sonde.step.leaving";
    private static final String THREAD = "sonde.step.thread";

    /** The frame a step out leaves: its method, and the stack depth with it on top. */
    private record Leaving(Method method, int depth) {
    }

    /** Property on the method-entry request of a step into a chosen call, holding the {@link Aim}. */
    private static final String AIM = "sonde.step.aim";

    private final EventRequestManager requests;
    private final StepFilters filters;

    public Stepping(VirtualMachine vm, StepFilters filters) {
        this.requests = vm.eventRequestManager();
        this.filters = filters;
    }

    /** Arms a step for a suspended thread; the caller resumes the target. */
    public void start(ThreadReference thread, StepKind kind) {
        cancel(thread);
        if (kind == StepKind.OUT) {
            watchReturn(thread);
        }
        arm(thread, kind, depth(kind), 0);
    }

    /**
     * Asks for the method exits of the top frame's class on this thread only, to catch what the top frame returns
     * ({@link #returned}); the request goes when the step ends.
     */
    private void watchReturn(ThreadReference thread) {
        try {
            StackFrame top = thread.frame(0);
            Method method = top.location().method();
            MethodExitRequest exits = requests.createMethodExitRequest();
            exits.addThreadFilter(thread);
            exits.addClassFilter(method.declaringType());
            // The thread waits while the value is read: an object returned and dropped could be collected otherwise.
            exits.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            exits.putProperty(LEAVING, new Leaving(method, thread.frameCount()));
            exits.putProperty(THREAD, thread);
            exits.enable();
        } catch (IncompatibleThreadStateException | IndexOutOfBoundsException e) {
            // no frame to leave: no return value to show
        }
    }

    /**
     * Whether a method-exit event is the frame a step out leaves returning (not another call of its class on the way).
     * Requests of a step are told apart from breakpoints' by their property.
     */
    public boolean returned(MethodExitEvent exit) {
        if (!(exit.request().getProperty(LEAVING) instanceof Leaving leaving) || !exit.method().equals(leaving.method())) {
            return false;
        }
        try {
            return exit.thread().frameCount() == leaving.depth();
        } catch (IncompatibleThreadStateException e) {
            return false;
        }
    }

    /** Whether a request is a step's method-exit watch (its events are not breakpoint hits). */
    public static boolean watchesReturn(EventRequest request) {
        return request.getProperty(LEAVING) != null;
    }

    /**
     * Steps a thread held in the agent's stop marker back out to the probed line, where the stop for {@code breakpointId}
     * is shown; the caller resumes the thread.
     */
    public void outOfMarker(ThreadReference thread, int breakpointId) {
        cancel(thread);
        StepRequest request = requests.createStepRequest(thread, StepRequest.STEP_MIN, StepRequest.STEP_OUT);
        request.addCountFilter(1);
        request.setSuspendPolicy(EventRequest.SUSPEND_ALL);
        request.putProperty(MARKER_BREAKPOINT, breakpointId);
        request.enable();
    }

    /** The breakpoint a step out of the agent's stop marker stops for, or 0 for the user's own steps. */
    public static int markerBreakpoint(StepEvent event) {
        return event.request().getProperty(MARKER_BREAKPOINT) instanceof Integer id ? id : 0;
    }

    /**
     * A step finished. Returns true when it should be reported as a stop; otherwise it has armed the next
     * step (out of code the user does not want to see) and the caller resumes the target.
     */
    public boolean landed(StepEvent event) {
        StepRequest finished = (StepRequest) event.request();
        StepKind kind = (StepKind) finished.getProperty(KIND);
        int hops = finished.getProperty(HOPS) instanceof Integer h ? h : 0;
        requests.deleteEventRequest(finished);
        if (kind == null || filters.isUserCode(event.location()) || hops >= MAX_HOPS) {
            deleteReturnWatches(event.thread());
            return true;
        }
        // No line information means library code: get out of it. Synthetic code: carry on the same way.
        int depth = event.location().lineNumber() > 0 && kind != StepKind.OUT ? depth(kind) : StepRequest.STEP_OUT;
        arm(event.thread(), kind, depth, hops + 1);
        return false;
    }

    /** Removes any step armed for a thread (a thread can have only one). */
    public void cancel(ThreadReference thread) {
        List<StepRequest> pending = requests.stepRequests().stream().filter(r -> r.thread().equals(thread)).toList();
        requests.deleteEventRequests(pending);
        requests.deleteEventRequests(requests.methodEntryRequests().stream()
                .filter(r -> r.getProperty(AIM) instanceof Aim aim && aim.thread().equals(thread)).toList());
        deleteReturnWatches(thread);
    }

    private void deleteReturnWatches(ThreadReference thread) {
        requests.deleteEventRequests(requests.methodExitRequests().stream()
                .filter(r -> r.getProperty(LEAVING) != null && thread.equals(r.getProperty(THREAD))).toList());
    }

    /** Removes every armed step (another stop happened first, and it wins). */
    public void cancelAll() {
        requests.deleteEventRequests(List.copyOf(requests.stepRequests()));
        requests.deleteEventRequests(requests.methodExitRequests().stream().filter(r -> r.getProperty(LEAVING) != null).toList());
        requests.deleteEventRequests(requests.methodEntryRequests().stream().filter(r -> r.getProperty(AIM) instanceof Aim).toList());
    }

    /** What a step into a chosen call waits for: the target method entered by this thread. */
    private record Aim(StepTarget target, ThreadReference thread) {
    }

    /**
     * Arms a step into one call of the current line of a suspended thread; the caller resumes the target. The thread
     * steps over the line while a method-entry request waits for the target's name and descriptor, in its class or an
     * override: entering it stops there ({@link #entered}), and the line ending without calling it stops where the step
     * over lands.
     */
    public void startInto(ThreadReference thread, StepTarget target) {
        cancel(thread);
        arm(thread, StepKind.OVER, StepRequest.STEP_OVER, 0);
        MethodEntryRequest entry = requests.createMethodEntryRequest();
        entry.addThreadFilter(thread);
        // Not only the target's class: a call through an interface or a superclass enters an override of it.
        for (String pattern : filters.excludedClassPatterns()) {
            entry.addClassExclusionFilter(pattern);
        }
        entry.setSuspendPolicy(EventRequest.SUSPEND_ALL);
        entry.putProperty(AIM, new Aim(target, thread));
        entry.enable();
    }

    /** Whether an event comes from the method-entry request of a step into a chosen call. */
    public boolean aims(EventRequest request) {
        return request != null && request.getProperty(AIM) instanceof Aim;
    }

    /**
     * A method was entered: true when it is the target, in its class or one extending or implementing it (the step is
     * over), else the thread runs on.
     */
    public boolean entered(MethodEntryEvent event) {
        StepTarget target = ((Aim) event.request().getProperty(AIM)).target();
        Method method = event.method();
        if (!method.name().equals(target.method()) || !method.signature().equals(target.descriptor())
                || !isOrExtends(method.declaringType(), target.className())) {
            return false;
        }
        cancel(event.thread());
        return true;
    }

    private static boolean isOrExtends(ReferenceType type, String className) {
        if (type.name().equals(className)) {
            return true;
        }
        return switch (type) {
            case ClassType classType -> classType.superclass() != null && isOrExtends(classType.superclass(), className)
                    || classType.allInterfaces().stream().anyMatch(i -> i.name().equals(className));
            case InterfaceType interfaceType -> interfaceType.superinterfaces().stream().anyMatch(i -> isOrExtends(i, className));
            default -> false;
        };
    }

    private void arm(ThreadReference thread, StepKind kind, int depth, int hops) {
        StepRequest request = requests.createStepRequest(thread, StepRequest.STEP_LINE, depth);
        for (String pattern : filters.excludedClassPatterns()) {
            request.addClassExclusionFilter(pattern);
        }
        request.addCountFilter(1);
        request.setSuspendPolicy(EventRequest.SUSPEND_ALL);
        request.putProperty(KIND, kind);
        request.putProperty(HOPS, hops);
        request.enable();
    }

    private static int depth(StepKind kind) {
        return switch (kind) {
            case OVER -> StepRequest.STEP_OVER;
            case INTO -> StepRequest.STEP_INTO;
            case OUT -> StepRequest.STEP_OUT;
        };
    }
}
