package dev.sonde.jdi;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A fixture under plain JDI, for tests of the evaluator's own API: launched held, its debugger traffic counted by a
 * {@link JdwpCounter}, and stopped by a breakpoint at a marker line.
 */
final class RawTarget implements AutoCloseable {

    private final ServerManager servers = new ServerManager();
    private final JdwpCounter counter;
    private final VirtualMachine vm;
    private EventSet stop;

    RawTarget(Class<?> fixture) throws IOException {
        DebugServer server = servers.start(JvmLaunchSpec.of(Targets.javaArgs(fixture)).withSuspend(true), new Output());
        counter = new JdwpCounter(server.address());
        vm = JdiConnector.attachWithRetries(counter.address(), Targets.WAIT);
        next(); // the start event
    }

    VirtualMachine vm() {
        return vm;
    }

    JdwpCounter counter() {
        return counter;
    }

    /** Sets a breakpoint (suspending the event thread) at the marker once its class loads, and runs to it. */
    BreakpointEvent runTo(Class<?> fixture, String marker) {
        ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
        prepare.addClassFilter(fixture.getName());
        prepare.enable();
        stop.resume();
        ReferenceType type = ((ClassPrepareEvent) next()).referenceType();
        prepare.disable();
        try {
            BreakpointRequest breakpoint = vm.eventRequestManager().createBreakpointRequest(
                    type.locationsOfLine(Targets.line(fixture, marker)).getFirst());
            breakpoint.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            breakpoint.enable();
        } catch (com.sun.jdi.AbsentInformationException e) {
            throw new AssertionError(e);
        }
        return resumeToBreakpoint();
    }

    /** Resumes the thread held by the last stop and waits for the next breakpoint hit. */
    BreakpointEvent resumeToBreakpoint() {
        stop.resume();
        return (BreakpointEvent) next();
    }

    ThreadReference thread() {
        return ((BreakpointEvent) stop.iterator().next()).thread();
    }

    StackFrame frame() {
        try {
            return thread().frame(0);
        } catch (IncompatibleThreadStateException e) {
            throw new AssertionError(e);
        }
    }

    private Event next() {
        try {
            stop = vm.eventQueue().remove(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (stop == null) {
            throw new AssertionError("no event within 20 s");
        }
        return stop.iterator().next();
    }

    @Override
    public void close() throws IOException {
        try {
            vm.dispose();
        } catch (RuntimeException gone) {
            // already disconnected
        }
        counter.close();
        servers.close();
    }
}
