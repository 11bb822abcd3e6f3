package dev.sonde.jdi;

import dev.sonde.core.backend.StepKind;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTest {

    @Test
    void breakReadStepResume() {
        try (ServerManager servers = new ServerManager(); Session session = Targets.launch(servers, Counter.class, "5", "0")) {
            assertThat(session.awaitStop(Targets.WAIT)).isInstanceOf(WaitOutcome.Stopped.class);
            int line = Markers.line(Counter.class, "tick-body");
            Breakpoint bp = session.addBreakpoint("Counter.java:" + line);
            System.out.println(bp.summary());
            session.resume();
            WaitOutcome outcome = session.awaitStop(Targets.WAIT);
            assertThat(outcome).isInstanceOf(WaitOutcome.Stopped.class);
            Event.Stopped stop = ((WaitOutcome.Stopped) outcome).event();
            System.out.println(stop);
            var frames = session.stackTrace(stop.thread().id());
            frames.forEach(System.out::println);
            session.variables(stop.thread().id(), 0).forEach(v -> System.out.println(v.name() + " = " + v.value().render()));
            session.step(stop.thread().id(), StepKind.OVER);
            outcome = session.awaitStop(Targets.WAIT);
            System.out.println(outcome);
            session.removeBreakpoint(bp.id());
            session.resume();
            outcome = session.awaitStop(Targets.WAIT);
            System.out.println(outcome);
            assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
            System.out.println(session.statistics());
        }
    }
}
