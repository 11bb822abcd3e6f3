package dev.sonde.jdi.stepping;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.StepRequest;
import dev.sonde.core.backend.StepKind;

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

    private final EventRequestManager requests;
    private final StepFilters filters;

    public Stepping(VirtualMachine vm, StepFilters filters) {
        this.requests = vm.eventRequestManager();
        this.filters = filters;
    }

    /** Arms a step for a suspended thread; the caller resumes the target. */
    public void start(ThreadReference thread, StepKind kind) {
        cancel(thread);
        arm(thread, kind, depth(kind), 0);
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
    }

    /** Removes every armed step (another stop happened first, and it wins). */
    public void cancelAll() {
        requests.deleteEventRequests(List.copyOf(requests.stepRequests()));
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
