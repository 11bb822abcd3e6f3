package dev.sonde.dap.client;

import dev.sonde.core.backend.StepKind;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.breakpoints.HitCondition;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.SessionState;
import dev.sonde.core.session.WaitOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A plain Python script under the real debugpy, launched by Sonde: the whole console's worth of requests. */
class PythonScriptTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SHOP = "shop.py";

    @Test
    void heldAtEntryThenBreakpointsStepsStackLocalsAndEvaluation() {
        Recorder events = new Recorder();
        try (ServerManager servers = new ServerManager(); Session session = launch(servers, events)) {
            assertThat(session.target().orElseThrow().kind()).isEqualTo("python");
            assertThat(session.target().orElseThrow().description()).startsWith("Python 3.").contains(", debugpy ");
            Event.Stopped entry = session.currentStop().orElseThrow();
            assertThat(entry.reason()).isEqualTo(StopReason.ENTRY);
            long main = entry.thread().id();
            assertThat(session.threads()).singleElement().satisfies(t -> {
                assertThat(t.name()).isEqualTo("MainThread");
                assertThat(t.suspended()).isTrue();
            });
            assertThat(session.stackTrace(main)).isEmpty();
            assertThat(catchThrowableOfType(SondeException.class, () -> session.variables(main, 0)).kind()).isEqualTo(ErrorKind.BAD_STATE);

            int callLine = PythonScripts.line(SHOP, "base = subtotal(items)");
            int discountLine = PythonScripts.line(SHOP, "discount = base * rate");
            Breakpoint call = session.addBreakpoint(SHOP + ":" + callLine);
            assertThat(call.verified()).as(call.summary()).isTrue();
            assertThat(call.locations()).containsExactly(new Location("shop", "price", SHOP, callLine));
            Breakpoint discount = session.addBreakpoint(SHOP + ":" + discountLine);

            session.resume();
            Event.Stopped hit = stopped(session);
            assertThat(hit.reason()).isEqualTo(StopReason.BREAKPOINT);
            assertThat(hit.breakpointIds()).containsExactly(call.id());
            assertThat(hit.location()).isEqualTo(new Location("shop", "price", SHOP, callLine));

            session.step(main, StepKind.INTO);
            assertThat(stopped(session).location()).isEqualTo(new Location("shop", "subtotal", SHOP, PythonScripts.line(SHOP, "total = 0.0")));
            session.step(main, StepKind.OUT);
            assertThat(stopped(session).location().method()).isEqualTo("price");
            session.step(main, StepKind.OVER);
            assertThat(stopped(session)).satisfies(step -> {
                assertThat(step.reason()).isEqualTo(StopReason.STEP);
                assertThat(step.location().line()).isEqualTo(PythonScripts.line(SHOP, "skus = [item.sku"));
            });

            session.resume();
            assertThat(stopped(session).breakpointIds()).containsExactly(discount.id());
            assertThat(session.stackTrace(main)).extracting(Frame::location).extracting(Location::method)
                    .containsExactly("price", "main", "<module>");

            Map<String, Value> locals = byName(session.variables(main, 0));
            assertThat(locals).containsKeys("items", "rate", "base", "skus", "counts", "note", "nothing", "paid");
            assertThat(locals.get("base")).isEqualTo(new Value.Primitive("float", "19.0"));
            assertThat(locals.get("paid").render()).isEqualTo("False");
            assertThat(locals.get("nothing")).isEqualTo(new Value.Null("NoneType"));
            assertThat(locals.get("note")).isEqualTo(new Value.Text("str", 0, "it's \"fine\"\n", 12));
            assertThat(locals.get("skus").render()).isEqualTo("list(size=2) [\"mug\", \"tea\"]");
            assertThat(locals.get("counts").render()).isEqualTo("dict(size=2) {\"mug\"=2, \"tea\"=1}");
            assertThat(session.variables(main, 0)).allSatisfy(v -> assertThat(v.kind()).isEqualTo(VariableKind.LOCAL));

            List<Variable> items = session.children(locals.get("items").ref(), 0);
            assertThat(items).extracting(Variable::name).containsExactly("[0]", "[1]");
            assertThat(items.get(0).value().type()).isEqualTo("Item");
            Map<String, Value> mug = byName(session.children(items.get(0).value().ref(), 0));
            assertThat(mug.get("sku").render()).isEqualTo("\"mug\"");
            assertThat(mug.get("quantity").render()).isEqualTo("2");
            assertThat(session.variables(main, 1).stream().filter(v -> v.name().equals("items")).findFirst().orElseThrow().value())
                    .isInstanceOf(Value.CollectionRef.class);

            assertThat(session.evaluate(main, 0, "base * 2").render()).isEqualTo("38.0");
            assertThat(session.evaluate(main, 1, "len(items)").render()).isEqualTo("2");
            SondeException nameError = catchThrowableOfType(SondeException.class, () -> session.evaluate(main, 0, "nosuch + 1"));
            assertThat(nameError.kind()).isEqualTo(ErrorKind.TARGET_THREW);
            assertThat(nameError.getMessage()).isEqualTo("`nosuch + 1` threw NameError: name 'nosuch' is not defined.");
            assertThat(catchThrowableOfType(SondeException.class, () -> session.evaluate(main, 0, "1 / 0")).getMessage())
                    .isEqualTo("`1 / 0` threw ZeroDivisionError: division by zero.");
            SondeException noInvoke = catchThrowableOfType(SondeException.class, () -> session.evaluate(main, 0, "base", false));
            assertThat(noInvoke.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
            assertThat(noInvoke.getMessage()).contains("cannot evaluate `base` without running code in the target");
            assertThat(session.evaluate(main, 0, "rate = (0.5)").render()).isEqualTo("0.5");
            assertThat(catchThrowableOfType(SondeException.class, () -> session.stackTrace(99)).getMessage())
                    .isEqualTo("There is no thread 99; `threads` lists them.");

            session.resume();
            Event.Terminated end = events.await(Event.Terminated.class, t -> true, WAIT);
            assertThat(end.reason()).isEqualTo("the target exited with code 0");
            assertThat(stdout(events)).contains("total 9.5\n", "done\n");
            assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
        }
    }

    @Test
    void conditionsHitCountsLogpointsAndTemporaryBreakpoints() {
        Recorder events = new Recorder();
        try (ServerManager servers = new ServerManager(); Session session = launch(servers, events)) {
            int squareLine = PythonScripts.line(SHOP, "square = n * n");
            int returnLine = PythonScripts.line(SHOP, "return square");
            int loopLine = PythonScripts.line(SHOP, "        checkpoint(n)");
            int printLine = PythonScripts.line(SHOP, "print(\"total\"");
            session.addBreakpoint(new BreakpointSpec.FileLine(SHOP, squareLine),
                    BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Log("square of {n}")));
            Breakpoint three = session.addBreakpoint(new BreakpointSpec.FileLine(SHOP, returnLine),
                    BreakpointOptions.DEFAULT.withCondition("n == 3"));
            Breakpoint everyOther = session.addBreakpoint(new BreakpointSpec.FileLine(SHOP, loopLine),
                    BreakpointOptions.DEFAULT.withHitCondition(new HitCondition(HitCondition.Kind.EVERY, 2)));
            Breakpoint once = session.addBreakpoint(new BreakpointSpec.FileLine(PythonScripts.path(SHOP).toString(), printLine),
                    BreakpointOptions.TEMPORARY);

            Function<String, String> valueOf = expression ->
                    session.evaluate(session.currentStop().orElseThrow().thread().id(), 0, expression).render();
            session.resume();
            assertThat(stopped(session).breakpointIds()).containsExactly(once.id());
            assertThat(session.breakpoint(once.id())).isEmpty();
            session.resume();
            assertThat(stopped(session).breakpointIds()).containsExactly(everyOther.id());
            assertThat(valueOf.apply("n")).isEqualTo("1");
            session.resume();
            assertThat(stopped(session).breakpointIds()).containsExactly(everyOther.id());
            assertThat(valueOf.apply("n")).isEqualTo("3");
            session.resume();
            assertThat(stopped(session).breakpointIds()).containsExactly(three.id());
            assertThat(valueOf.apply("square")).isEqualTo("9");
            session.resume();

            events.await(Event.Terminated.class, t -> true, WAIT);
            assertThat(events.all(Event.Stopped.class)).hasSize(5);
            assertThat(stdout(events)).contains("square of 0\n", "square of 4\n");
            assertThat(events.all(Event.BreakpointChanged.class)).anySatisfy(changed -> {
                assertThat(changed.breakpoint().id()).isEqualTo(once.id());
                assertThat(changed.change()).isEqualTo(Event.BreakpointChanged.Change.REMOVED);
            });
        }
    }

    @Test
    void whatADapTargetCannotDoIsRefusedInOneSentence() {
        try (ServerManager servers = new ServerManager(); Session session = launch(servers, new Recorder())) {
            SondeException method = catchThrowableOfType(SondeException.class, () -> session.addBreakpoint("shop.price"));
            assertThat(method.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
            assertThat(method.getMessage()).isEqualTo("A DAP target takes breakpoints at FILE:LINE, like app.py:12, not shop.price.");
            assertThat(catchThrowableOfType(SondeException.class, () -> session.addBreakpoint(new BreakpointSpec.FileLine(SHOP, 5),
                    BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Snapshot(1, List.of(), 1)))).getMessage())
                    .isEqualTo("Snapshot points need a JVM target; on a DAP target, use a breakpoint or a logpoint.");
            assertThat(catchThrowableOfType(SondeException.class, () -> session.addBreakpoint(new BreakpointSpec.FileLine(SHOP, 31),
                    BreakpointOptions.DEFAULT.withCondition("n > 1").withAllowInvoke(false))).getMessage())
                    .startsWith("A DAP server runs code in the target to evaluate conditions and log messages, and invocation is off");

            Breakpoint nowhere = session.addBreakpoint("nowhere.py:3");
            assertThat(nowhere.verified()).isFalse();
            assertThat(nowhere.reason())
                    .isEqualTo("breakpoint in file that does not exist; give the file's path as the target sees it, like /app/nowhere.py");
            assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(nowhere.id());
        }
    }

    @Test
    void killEndsTheScriptAndDebugpysAdapter() {
        Recorder events = new Recorder();
        try (ServerManager servers = new ServerManager(); Session session = launch(servers, events)) {
            DebugServer server = servers.list().get(0);
            long script = server.pid();
            long adapter = server.adapterPid();
            assertThat(adapter).as("debugpy's adapter process").isPositive();
            assertThat(ProcessHandle.of(adapter).map(ProcessHandle::isAlive)).contains(true);

            session.terminate();

            Event.Terminated end = events.await(Event.Terminated.class, t -> true, WAIT);
            assertThat(end.reason()).isEqualTo("the target was killed");
            assertThat(end.exitCode()).isEqualTo(137);
            assertThat(ProcessHandle.of(script).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(ProcessHandle.of(adapter).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }

    private static Session launch(ServerManager servers, Recorder events) {
        return Session.connect("shop", DapConnector.launch(PythonScripts.spec(SHOP), servers, DapClientOptions.DEFAULT),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), WAIT, List.of(events));
    }

    static Event.Stopped stopped(Session session) {
        WaitOutcome outcome = session.awaitStop(WAIT);
        assertThat(outcome).isInstanceOf(WaitOutcome.Stopped.class);
        return ((WaitOutcome.Stopped) outcome).event();
    }

    static Map<String, Value> byName(List<Variable> variables) {
        return variables.stream().collect(Collectors.toMap(Variable::name, Variable::value));
    }

    static String stdout(Recorder events) {
        return events.all(Event.Output.class).stream().filter(o -> o.category() == OutputCategory.STDOUT).map(Event.Output::text)
                .collect(Collectors.joining());
    }
}
