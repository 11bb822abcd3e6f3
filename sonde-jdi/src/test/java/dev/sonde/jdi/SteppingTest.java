package dev.sonde.jdi;

import dev.sonde.core.backend.StepKind;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Location;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.fixtures.Nested;
import dev.sonde.fixtures.Stepper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.resumeToStop;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/** Stepping over, into and out of calls, with JDK and compiler-made code skipped (fixture Stepper). */
class SteppingTest {

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    /** Launches Stepper and runs it to a marker. */
    private Session stopAt(String marker) {
        Session session = Targets.launch(servers, Stepper.class);
        stopped(session);
        int id = session.addBreakpoint("Stepper.java:" + line(Stepper.class, marker)).id();
        resumeToStop(session);
        session.removeBreakpoint(id);
        return session;
    }

    private static Location step(Session session, long thread, StepKind kind) {
        session.step(thread, kind);
        Event.Stopped stop = stopped(session);
        assertThat(stop.reason()).isEqualTo(StopReason.STEP);
        assertThat(stop.breakpointIds()).isEmpty();
        assertThat(stop.thread().id()).isEqualTo(thread);
        return stop.location();
    }

    private static String where(Location location) {
        return location.method() + ":" + location.line();
    }

    @Test
    void stepIntoOverAndOutWalkTheCallsLineByLine() {
        try (Session session = stopAt("call-outer"); EventLog log = EventLog.of(session)) {
            long thread = session.currentStop().orElseThrow().thread().id();

            List<String> path = new ArrayList<>();
            path.add(where(step(session, thread, StepKind.INTO)));
            path.add(where(step(session, thread, StepKind.INTO)));
            path.add(where(step(session, thread, StepKind.OVER)));
            path.add(where(step(session, thread, StepKind.OUT)));
            path.add(where(step(session, thread, StepKind.OVER)));
            path.add(where(step(session, thread, StepKind.OUT)));
            path.add(where(step(session, thread, StepKind.OVER)));

            assertThat(path).containsExactly(
                    "outer:" + line(Stepper.class, "outer-call-inner"),
                    "inner:" + line(Stepper.class, "inner-body"),
                    "inner:" + line(Stepper.class, "inner-return"),
                    "outer:" + line(Stepper.class, "outer-call-inner"),  // back in the caller, the call returned
                    "outer:" + line(Stepper.class, "outer-return"),
                    "main:" + line(Stepper.class, "call-outer"),
                    "main:" + line(Stepper.class, "after-outer"));
            // Each step is a Continued then a Stopped, in that order. (The log may also get the removal of stopAt's
            // breakpoint, published before it subscribed and delivered after: that is not part of stepping.)
            log.awaitCount(Event.Stopped.class, 7, Targets.WAIT);
            assertThat(log.control()).filteredOn(e -> e instanceof Event.Continued || e instanceof Event.Stopped)
                    .extracting(Event::kind).containsExactly(
                    "continued", "stopped", "continued", "stopped", "continued", "stopped", "continued", "stopped",
                    "continued", "stopped", "continued", "stopped", "continued", "stopped");
            // After stepping out of inner, its result is in the caller's locals once the line completes.
            assertThat(Targets.rendered(session.variables(thread, 0))).containsEntry("result", "23");
        }
    }

    @Test
    void stepOverRunsACallWithoutStoppingInIt() {
        try (Session session = stopAt("call-outer")) {
            long thread = session.currentStop().orElseThrow().thread().id();

            assertThat(where(step(session, thread, StepKind.OVER))).isEqualTo("main:" + line(Stepper.class, "after-outer"));
        }
    }

    @Test
    void stepIntoALineOfJdkCallsDoesNotStopInTheJdk() {
        try (Session session = stopAt("jdk-call")) {
            long thread = session.currentStop().orElseThrow().thread().id();

            Location landed = step(session, thread, StepKind.INTO);

            assertThat(landed.className()).isEqualTo("dev.sonde.fixtures.Stepper");
            assertThat(where(landed)).isEqualTo("main:" + (line(Stepper.class, "jdk-call") + 1));
        }
    }

    @Test
    void stepIntoACallThroughABridgeLandsInTheUserMethod() {
        try (Session session = stopAt("bridge-call")) {
            long thread = session.currentStop().orElseThrow().thread().id();

            // The line first constructs an Item (a record: its constructor is user code), then calls
            // compareTo through Comparable, that is through the compiler's bridge compareTo(Object).
            List<Location> stops = new ArrayList<>();
            Location at = step(session, thread, StepKind.INTO);
            stops.add(at);
            while (!at.method().equals("compareTo") && stops.size() < 6) {
                at = step(session, thread, at.method().equals("main") ? StepKind.INTO : StepKind.OUT);
                stops.add(at);
            }

            assertThat(at).isEqualTo(new Location("dev.sonde.fixtures.Stepper$Item", "compareTo", "Stepper.java",
                    line(Stepper.class, "compare")));
            // Never in the bridge, whose only line is the record's declaration.
            assertThat(stops).noneMatch(l -> l.method().equals("compareTo") && l.line() != line(Stepper.class, "compare"));
            assertThat(stops).allMatch(l -> l.className().startsWith("dev.sonde.fixtures.Stepper"));
            // The frame below is main, not the bridge: the bridge is there, but stepping did not stop in it.
            assertThat(session.stackTrace(thread)).extracting(f -> f.location().method()).startsWith("compareTo", "compareTo", "main");
        }
    }

    @Test
    void stepIntoALambdaCallLandsInTheLambdaBody() {
        try (Session session = Targets.launch(servers, Nested.class, "0")) {
            stopped(session);
            session.addBreakpoint("Nested.java:" + Targets.lineContaining(Nested.class, "total += lambda.get()"));
            long thread = resumeToStop(session).thread().id();

            Location landed = step(session, thread, StepKind.INTO);

            assertThat(landed.className()).isEqualTo("dev.sonde.fixtures.Nested");
            assertThat(landed.method()).startsWith("lambda$main$");
            assertThat(landed.line()).isEqualTo(line(Nested.class, "lambda"));
        }
    }

    @Test
    void stepIntoALambdaRunByJdkCodeLandsInTheLambdaBody() {
        int inline = line(Nested.class, "lambda-inline");
        try (Session session = Targets.launch(servers, Nested.class, "0")) {
            stopped(session);
            int id = session.addBreakpoint("Nested.java:" + inline).id();
            long thread = resumeToStop(session).thread().id();
            session.removeBreakpoint(id);

            Location landed = step(session, thread, StepKind.INTO);

            assertThat(landed.className()).isEqualTo("dev.sonde.fixtures.Nested");
            assertThat(landed.method()).startsWith("lambda$main$");
            assertThat(landed.line()).isEqualTo(inline);
            // Out of the lambda goes back through forEach (JDK code) to main, not into the JDK.
            Location back = step(session, thread, StepKind.OUT);
            assertThat(back.className()).startsWith("dev.sonde.fixtures.Nested");
        }
    }

    @Test
    void stepOutOfALambdaOrMethodReturnsToTheCaller() {
        try (Session session = stopAt("inner-body")) {
            long thread = session.currentStop().orElseThrow().thread().id();

            assertThat(where(step(session, thread, StepKind.OUT))).isEqualTo("outer:" + line(Stepper.class, "outer-call-inner"));
            assertThat(where(step(session, thread, StepKind.OUT))).isEqualTo("main:" + line(Stepper.class, "call-outer"));
        }
    }

    @Test
    void aBreakpointHitDuringAStepWinsOverTheStep() {
        try (Session session = stopAt("call-outer")) {
            long thread = session.currentStop().orElseThrow().thread().id();
            int inner = session.addBreakpoint("Stepper.inner").id();

            session.step(thread, StepKind.OVER);

            Event.Stopped stop = stopped(session);
            assertThat(stop.reason()).isEqualTo(StopReason.BREAKPOINT);
            assertThat(stop.breakpointIds()).containsExactly(inner);
            // The abandoned step does not fire later.
            session.removeBreakpoint(inner);
            session.resume();
            assertThat(Targets.terminated(session).exitCode()).isZero();
        }
    }

    @Test
    void stepsNeedAStoppedThread() {
        try (Session session = Targets.launch(servers, Stepper.class)) {
            Event.Stopped entry = stopped(session);
            assertThat(entry.reason()).isEqualTo(StopReason.ENTRY);

            var notStarted = failure(() -> session.step(entry.thread().id(), StepKind.OVER));
            assertThat(notStarted.kind()).isEqualTo(ErrorKind.BAD_STATE);
            assertThat(notStarted.getMessage()).isEqualTo("Thread " + entry.thread().id()
                    + " has not started running code yet; set a breakpoint and continue instead.");
            assertThat(session.state()).isEqualTo(SessionState.STOPPED);
            var unknown = failure(() -> session.step(424242, StepKind.INTO));
            assertThat(unknown.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        }
    }
}
