package dev.sonde.jdi.agent;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.Method;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import dev.sonde.core.error.SondeException;

import java.util.List;
import java.util.function.IntFunction;

/**
 * The session's one JDWP breakpoint for the conditional stops the agent decides: in {@code SondeSpy.stop(int probe)},
 * which instrumented code calls only when a stop's condition and hit count hold. A hit there names its probe; the
 * debugger then steps out to the probed line, so the stop shows the user's frame on top and stepping goes on from it.
 */
public final class StopMarker {

    private static final String SPY = "dev.sonde.agent.spy.SondeSpy";

    private final VirtualMachine vm;
    private final IntFunction<Integer> breakpointOfProbe;
    private volatile BreakpointRequest request;

    /** @param breakpointOfProbe the session's breakpoint for an agent probe id, or null */
    public StopMarker(VirtualMachine vm, IntFunction<Integer> breakpointOfProbe) {
        this.vm = vm;
        this.breakpointOfProbe = breakpointOfProbe;
    }

    /** Sets the marker's breakpoint once; the agent, which loaded the spy into the boot class path, must be running. */
    public synchronized void arm() {
        if (request != null) {
            return;
        }
        ReferenceType spy = vm.classesByName(SPY).stream().filter(t -> t.classLoader() == null && t.isPrepared()).findFirst()
                .orElseThrow(() -> SondeException.badState("The Sonde agent's spy class is not loaded in the target; set the breakpoint again."));
        List<Method> stop = spy.methodsByName("stop", "(I)V");
        if (stop.isEmpty()) {
            throw SondeException.badState("The Sonde agent in the target is older than this sonde and has no stop marker; restart the target.");
        }
        BreakpointRequest marker = vm.eventRequestManager().createBreakpointRequest(stop.get(0).location());
        marker.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        marker.enable();
        request = marker;
    }

    public boolean isMarker(EventRequest hit) {
        return hit != null && hit == request;
    }

    /** The session's breakpoint that a hit of the marker stops for, or 0 when the probe is not this session's. */
    public int breakpointOf(BreakpointEvent hit) {
        try {
            List<Value> arguments = hit.thread().frame(0).getArgumentValues();
            Integer breakpoint = arguments.size() == 1 && arguments.get(0) instanceof IntegerValue probe ? breakpointOfProbe.apply(probe.value()) : null;
            return breakpoint == null ? 0 : breakpoint;
        } catch (IncompatibleThreadStateException e) {
            return 0;
        }
    }
}
