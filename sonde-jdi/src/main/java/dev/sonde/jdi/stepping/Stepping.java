package dev.sonde.jdi.stepping;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.StepRequest;
import dev.sonde.core.backend.StepKind;
import dev.sonde.core.model.StepTarget;

import java.util.List;

/** Creates line steps with Sonde's filters, and decides whether a finished step has reached user code. */
public final class Stepping {

    /** Property on our step requests holding the {@link StepKind} the user asked for. */
    private static final String KIND = "sonde.step";
    private static final String HOPS = "sonde.step.hops";
    /** Property on the steps of a step into a chosen call, holding the {@link Aim}. */
    private static final String AIM = "sonde.step.aim";
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
     * Where a step into a chosen call started and what it goes for: it steps in, out of any other method it enters,
     * and in again while the thread is still on the starting line, until it enters the target.
     */
    private record Aim(StepTarget target, Method method, int line, int depth) {
        boolean reached(Location location) {
            Method at = location.method();
            return at.name().equals(target.method()) && at.signature().equals(target.descriptor())
                    && at.declaringType().name().equals(target.className());
        }
    }

    /** Arms a step into one call of the current line of a suspended thread; the caller resumes the target. */
    public void startInto(ThreadReference thread, StepTarget target) throws IncompatibleThreadStateException {
        cancel(thread);
        Location here = thread.frame(0).location();
        Aim aim = new Aim(target, here.method(), here.lineNumber(), thread.frameCount());
        arm(thread, StepKind.INTO, StepRequest.STEP_INTO, 0).putProperty(AIM, aim);
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
        if (finished.getProperty(AIM) instanceof Aim aim && hops < MAX_HOPS) {
            return aimed(event, aim, hops);
        }
        if (kind == null || filters.isUserCode(event.location()) || hops >= MAX_HOPS) {
            return true;
        }
        // No line information means library code: get out of it. Synthetic code: carry on the same way.
        int depth = event.location().lineNumber() > 0 && kind != StepKind.OUT ? depth(kind) : StepRequest.STEP_OUT;
        arm(event.thread(), kind, depth, hops + 1);
        return false;
    }

    private boolean aimed(StepEvent event, Aim aim, int hops) {
        Location at = event.location();
        if (aim.reached(at)) {
            return true;
        }
        int depth;
        try {
            depth = event.thread().frameCount();
        } catch (IncompatibleThreadStateException e) {
            return true;
        }
        int next;
        if (depth > aim.depth()) {
            next = StepRequest.STEP_OUT;
        } else if (depth == aim.depth() && at.method().equals(aim.method()) && at.lineNumber() == aim.line()) {
            next = StepRequest.STEP_INTO;
        } else {
            // The line is done (or the method returned) without entering the target: stop where a step in would.
            return true;
        }
        arm(event.thread(), StepKind.INTO, next, hops + 1).putProperty(AIM, aim);
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

    private StepRequest arm(ThreadReference thread, StepKind kind, int depth, int hops) {
        StepRequest request = requests.createStepRequest(thread, StepRequest.STEP_LINE, depth);
        for (String pattern : filters.excludedClassPatterns()) {
            request.addClassExclusionFilter(pattern);
        }
        request.addCountFilter(1);
        request.setSuspendPolicy(EventRequest.SUSPEND_ALL);
        request.putProperty(KIND, kind);
        request.putProperty(HOPS, hops);
        request.enable();
        return request;
    }

    private static int depth(StepKind kind) {
        return switch (kind) {
            case OVER -> StepRequest.STEP_OVER;
            case INTO -> StepRequest.STEP_INTO;
            case OUT -> StepRequest.STEP_OUT;
        };
    }
}
