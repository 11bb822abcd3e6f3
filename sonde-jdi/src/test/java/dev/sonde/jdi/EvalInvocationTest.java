package dev.sonde.jdi;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.session.SessionState;
import dev.sonde.fixtures.EvalFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.sonde.jdi.Targets.line;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Running code in the target from an evaluation, through a session: a breakpoint the called code passes is no stop,
 * a merely suspended thread cannot run code, exceptions are reported, and a call that hangs is cut off by the timeout
 * while the session goes on. One EvalFixture, stopped in its anonymous class; the last test lets it finish.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvalInvocationTest {

    @RegisterExtension
    final EvalFixtureStop stop = new EvalFixtureStop();
    private EventLog log;

    @BeforeAll
    void logTheEvents() {
        log = EventLog.of(stop.session());
    }

    @AfterAll
    void end() {
        log.close();
    }

    private String eval(String expression) {
        return stop.session().evaluate(stop.thread(), stop.runFrame(), expression).render();
    }

    @Test
    @Order(1)
    void aBreakpointInACalledMethodIsPassedWithoutAStop() {
        Breakpoint inside = stop.session().addBreakpoint("EvalFixture.java:" + line(EvalFixture.class, "traced"));
        log.clear();

        assertThat(eval("traced(4)")).isEqualTo("8");
        assertThat(eval("traced(5) + traced(6)")).isEqualTo("22");
        assertThat(eval("lastCall")).isEqualTo("\"traced 6\"");

        assertThat(log.all(Event.Stopped.class)).as("no stop reported for the breakpoint the call passed").isEmpty();
        assertThat(stop.session().state()).isEqualTo(SessionState.STOPPED);
        assertThat(stop.session().currentStop().orElseThrow().location().line()).isEqualTo(line(EvalFixture.class, "anonymous"));
        stop.session().removeBreakpoint(inside.id());
    }

    @Test
    @Order(2)
    void anExceptionInTheTargetIsReportedWithItsMessage() {
        SondeException threw = Targets.failure(() -> eval("fail(\"no \" + i)"));
        assertThat(threw.kind()).isEqualTo(ErrorKind.TARGET_THREW);
        assertThat(threw.getMessage()).isEqualTo("`fail(\"no \" + i)` threw java.lang.IllegalStateException: no 7.");
        assertThat(eval("i")).isEqualTo("7");
    }

    @Test
    @Order(3)
    void aThreadThatDidNotStopAtAnEventCannotRunCode() {
        long worker = stop.session().threads().stream().filter(t -> t.name().equals("eval-worker")).mapToLong(ThreadInfo::id)
                .findFirst().orElseThrow();
        stop.session().pauseThread(worker);

        assertThat(stop.session().evaluate(worker, 0, "1 + 1").render()).isEqualTo("2");
        SondeException refused = Targets.failure(() -> stop.session().evaluate(worker, 0, "Math.max(1, 2)"));
        assertThat(refused.kind()).isEqualTo(ErrorKind.BAD_STATE);
        assertThat(refused.getMessage()).isEqualTo("Thread eval-worker is suspended but did not stop at a breakpoint or step,"
                + " so `Math.max(1, 2)` cannot run code in it; evaluate in a thread stopped by a breakpoint or step.");
        assertThat(eval("Math.max(1, 2)")).isEqualTo("2");
    }

    @Test
    @Order(4)
    void aCallThatHangsTimesOutAndTheSessionGoesOn() {
        SondeException timeout = Targets.failure(() -> eval("hang()"));
        assertThat(timeout.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(timeout.getMessage()).isEqualTo("`hang()` did not return within 2 s, so Sonde interrupted the thread,"
                + " which ended the call; raise the invoke timeout if the method is just slow.");

        assertThat(eval("i + 1")).isEqualTo("8");
        assertThat(eval("order.total()")).isEqualTo("4.5");
        stop.session().resume();
        Event.Terminated end = Targets.terminated(stop.session());
        assertThat(end.exitCode()).isZero();
        assertThat(log.stdout()).contains("fixture");
    }
}
