package dev.sonde.jdi;

import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.StepTarget;
import dev.sonde.core.model.ThrowableInfo;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.Session;
import dev.sonde.fixtures.EditorRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static dev.sonde.fixtures.Markers.line;
import static dev.sonde.jdi.Targets.resumeToStop;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Session API behind an editor's requests, on the JVM backend: step-in targets and stepping into one, paged
 * children, static variables, code lines and loaded sources, exception chains and toString on demand.
 */
class EditorRequestsSessionTest {

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    private Session stopAt(String marker) {
        Session session = Targets.launch(servers, EditorRequests.class);
        stopped(session);
        int id = session.addBreakpoint("EditorRequests.java:" + line(EditorRequests.class, marker)).id();
        resumeToStop(session);
        session.removeBreakpoint(id);
        return session;
    }

    private static long thread(Session session) {
        return session.currentStop().orElseThrow().thread().id();
    }

    @Test
    void theCallsOfALineInOrderAndAStepIntoTheChosenOne() {
        try (Session session = stopAt("calls")) {
            List<StepTarget> targets = session.stepInTargets(thread(session), 0);
            assertThat(targets).extracting(StepTarget::method).containsExactly("twice", "lambda$main$0", "deposit");
            assertThat(targets.get(2)).extracting(StepTarget::className, StepTarget::descriptor)
                    .containsExactly("dev.sonde.fixtures.EditorRequests$Account", "(I)V");
            session.stepInto(thread(session), targets.get(1));
            Event.Stopped stop = stopped(session);
            assertThat(stop.reason()).isEqualTo(StopReason.STEP);
            assertThat(stop.location().method()).isEqualTo("lambda$main$0");
        }
    }

    @Test
    void childrenComeAPageAtATimeStaticsCodeLinesAndSources() {
        try (Session session = stopAt("ready")) {
            Map<String, Variable> locals = session.variables(thread(session), 0).stream()
                    .collect(Collectors.toMap(Variable::name, Function.identity()));
            assertThat(session.children(locals.get("numbers").value().ref(), 700, 3, 0))
                    .extracting(Variable::name, v -> v.value().render())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("[700]", "700"), org.assertj.core.groups.Tuple.tuple("[701]", "701"),
                            org.assertj.core.groups.Tuple.tuple("[702]", "702"));
            assertThat(session.children(locals.get("names").value().ref(), 990, 100, 0)).hasSize(10);
            assertThat(session.staticVariables(thread(session), 0)).extracting(Variable::name).contains("rounds", "GREETING");
            assertThat(session.toText(thread(session), locals.get("account").value().ref())).isEqualTo("Account of Ada holding 0");

            int twice = line(EditorRequests.class, "twice");
            assertThat(session.codeLines("dev/sonde/fixtures/EditorRequests.java", twice - 1, twice + 1)).containsExactly(twice);
            assertThat(session.codeLines("EditorRequests.java", twice - 1, twice + 1)).containsExactly(twice);
            assertThat(session.loadedSources()).contains("dev/sonde/fixtures/EditorRequests.java").noneMatch(path -> path.startsWith("java/"));
        }
    }

    @Test
    void anExceptionWithItsCause() {
        try (Session session = Targets.launch(servers, EditorRequests.class)) {
            stopped(session);
            session.addBreakpoint(new dev.sonde.core.breakpoints.BreakpointSpec.ExceptionThrown("java.lang.IllegalStateException", true, true,
                    List.of(), List.of()), dev.sonde.core.breakpoints.BreakpointOptions.DEFAULT);
            Event.Stopped stop = resumeToStop(session);
            StopDetail.ExceptionThrown thrown = (StopDetail.ExceptionThrown) stop.detail();
            ThrowableInfo chain = session.throwable(stop.thread().id(), thrown.exception().ref());
            assertThat(chain.type()).isEqualTo("java.lang.IllegalStateException");
            assertThat(chain.message()).isEqualTo("could not read the number");
            assertThat(chain.stack().get(0)).isEqualTo("dev.sonde.fixtures.EditorRequests.fail(EditorRequests.java:"
                    + line(EditorRequests.class, "thrown") + ")");
            assertThat(chain.cause().type()).isEqualTo("java.lang.NumberFormatException");
            assertThat(chain.cause().cause()).isNull();
            assertThat(chain.render()).contains("Caused by: java.lang.NumberFormatException: For input string: \"not a number\"");
        }
    }
}
