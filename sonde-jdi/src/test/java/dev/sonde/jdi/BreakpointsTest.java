package dev.sonde.jdi;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.Session;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Nested;
import dev.sonde.fixtures.TwoLoaders;
import dev.sonde.fixtures.Variables;
import dev.sonde.fixtures.plugin.Plugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.sonde.jdi.Targets.WAIT;
import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.resumeToStop;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Breakpoints: the spec forms, deferral until classes load, verification and its reasons, removal. */
class BreakpointsTest {

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    @Test
    void everySpecFormStopsWhereItSaysAndIdsStartAtOne() {
        int tickBody = line(Counter.class, "tick-body");
        int tickReturn = line(Counter.class, "tick-return");
        int afterLoop = line(Counter.class, "after-loop");
        try (Session session = Targets.launch(servers, Counter.class, "2", "0"); EventLog log = EventLog.of(session)) {
            assertThat(stopped(session).reason()).isEqualTo(StopReason.ENTRY);

            Breakpoint byFile = session.addBreakpoint("Counter.java:" + tickBody);
            Breakpoint byMethod = session.addBreakpoint("dev.sonde.fixtures.Counter.tick");
            Breakpoint byClass = session.addBreakpoint("dev.sonde.fixtures.Counter:" + tickReturn);
            Breakpoint bySimpleClass = session.addBreakpoint("Counter:" + afterLoop);
            Breakpoint bySimpleMethod = session.addBreakpoint("Counter.main");

            assertThat(List.of(byFile, byMethod, byClass, bySimpleClass, bySimpleMethod))
                    .extracting(Breakpoint::id, Breakpoint::verified)
                    .containsExactly(tuple(1, false), tuple(2, false), tuple(3, false), tuple(4, false), tuple(5, false));
            assertThat(byFile.reason()).isEqualTo("no class from Counter.java is loaded yet; it is set when one loads");
            assertThat(byMethod.reason()).isEqualTo("class dev.sonde.fixtures.Counter is not loaded yet; it is set when it loads");
            assertThat(bySimpleClass.reason()).isEqualTo("class Counter is not loaded yet; it is set when it loads");
            assertThat(byFile.summary()).isEqualTo("1 Counter.java:" + tickBody
                    + " — pending: no class from Counter.java is loaded yet; it is set when one loads");

            List<String> stops = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Event.Stopped stop = resumeToStop(session);
                assertThat(stop.reason()).isEqualTo(StopReason.BREAKPOINT);
                stops.add(stop.location().method() + ":" + stop.location().line() + " " + stop.breakpointIds());
            }
            assertThat(stops).containsExactly(
                    "main:" + Targets.lineContaining(Counter.class, "int limit =") + " [5]",
                    "tick:" + tickBody + " [1, 2]",
                    "tick:" + tickReturn + " [3]",
                    "tick:" + tickBody + " [1, 2]",
                    "tick:" + tickReturn + " [3]",
                    "main:" + afterLoop + " [4]");

            // Verified when Counter loaded, with the place each one is set.
            assertThat(session.breakpoints()).allMatch(Breakpoint::verified);
            assertThat(session.breakpoint(1).orElseThrow().locations())
                    .containsExactly(new Location("dev.sonde.fixtures.Counter", "tick", "Counter.java", tickBody));
            assertThat(session.breakpoint(1).orElseThrow().summary())
                    .isEqualTo("1 Counter.java:" + tickBody + " — set at Counter.tick (Counter.java:" + tickBody + ")");
            log.awaitCount(Event.Stopped.class, 6, WAIT);  // the entry stop came before the log
            List<Event.BreakpointChanged> changes = log.all(Event.BreakpointChanged.class);
            assertThat(changes).filteredOn(c -> c.change() == Event.BreakpointChanged.Change.ADDED)
                    .extracting(c -> c.breakpoint().id()).containsExactly(1, 2, 3, 4, 5);
            assertThat(changes).filteredOn(c -> c.change() == Event.BreakpointChanged.Change.UPDATED)
                    .extracting(c -> c.breakpoint().id(), c -> c.breakpoint().verified())
                    .containsExactlyInAnyOrder(tuple(1, true), tuple(2, true), tuple(3, true), tuple(4, true), tuple(5, true));
            // Each verification is announced before the first stop at it.
            List<Event> control = log.control();
            int firstStop = control.indexOf(log.all(Event.Stopped.class).get(1));
            assertThat(control.subList(0, firstStop)).filteredOn(Event.BreakpointChanged.class::isInstance).hasSize(10);

            assertThat(session.statistics().hitsByBreakpoint()).containsExactlyInAnyOrderEntriesOf(
                    java.util.Map.of(1, 2L, 2, 2L, 3, 2L, 4, 1L, 5, 1L));
        }
    }

    @Test
    void deferredBreakpointsInNestedInnerAnonymousAndLambdaCode() {
        try (Session session = Targets.launch(servers, Nested.class, "0")) {
            stopped(session);
            Breakpoint staticNested = session.addBreakpoint("Nested.java:" + line(Nested.class, "static-nested"));
            Breakpoint inner = session.addBreakpoint("dev.sonde.fixtures.Nested:" + line(Nested.class, "inner"));
            Breakpoint anonymous = session.addBreakpoint("Nested:" + line(Nested.class, "anonymous"));
            Breakpoint lambda = session.addBreakpoint("Nested.java:" + line(Nested.class, "lambda"));
            assertThat(List.of(staticNested, inner, anonymous, lambda)).noneMatch(Breakpoint::verified);

            List<String> stops = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Event.Stopped stop = resumeToStop(session);
                stops.add(stop.location().className() + "." + stop.location().method() + ":" + stop.location().line()
                        + " " + stop.breakpointIds());
            }

            assertThat(stops).satisfiesExactly(
                    s -> assertThat(s).isEqualTo("dev.sonde.fixtures.Nested$StaticNested.twice:" + line(Nested.class, "static-nested") + " [1]"),
                    s -> assertThat(s).isEqualTo("dev.sonde.fixtures.Nested$Inner.plusBase:" + line(Nested.class, "inner") + " [2]"),
                    s -> assertThat(s).isEqualTo("dev.sonde.fixtures.Nested$1.run:" + line(Nested.class, "anonymous") + " [3]"),
                    s -> assertThat(s).matches("dev\\.sonde\\.fixtures\\.Nested\\.lambda\\$main\\$\\d+:"
                            + line(Nested.class, "lambda") + " \\[4]"));
            assertThat(session.breakpoints()).allMatch(Breakpoint::verified);
        }
    }

    @Test
    void aBreakpointInANestedClassNotLoadedYetWaitsForItEvenWhenTheOuterClassIsLoaded() {
        try (Session session = Targets.launch(servers, Nested.class, "0"); EventLog log = EventLog.of(session)) {
            stopped(session);
            session.addBreakpoint("Nested.main");
            resumeToStop(session);
            assertThat(session.classNames("dev.sonde.fixtures.Nested")).contains("dev.sonde.fixtures.Nested")
                    .doesNotContain("dev.sonde.fixtures.Nested$Inner", "dev.sonde.fixtures.Nested$1");

            Breakpoint inner = session.addBreakpoint("Nested.java:" + line(Nested.class, "inner"));
            Breakpoint anonymous = session.addBreakpoint("dev.sonde.fixtures.Nested:" + line(Nested.class, "anonymous"));
            assertThat(inner.verified()).isFalse();
            assertThat(anonymous.verified()).isFalse();

            Event.Stopped first = resumeToStop(session);
            assertThat(first.breakpointIds()).containsExactly(inner.id());
            assertThat(first.location().className()).isEqualTo("dev.sonde.fixtures.Nested$Inner");
            assertThat(resumeToStop(session).location().className()).isEqualTo("dev.sonde.fixtures.Nested$1");
            log.awaitCount(Event.Stopped.class, 3, WAIT);  // the entry stop came before the log
            assertThat(log.all(Event.BreakpointChanged.class))
                    .filteredOn(c -> c.change() == Event.BreakpointChanged.Change.UPDATED && c.breakpoint().verified())
                    .extracting(c -> c.breakpoint().id()).containsExactly(1, inner.id(), anonymous.id());
        }
    }

    @Test
    void aLineWithALambdaStopsInTheCallAndInEveryRunOfTheBody() {
        int inline = line(Nested.class, "lambda-inline");
        try (Session session = Targets.launch(servers, Nested.class, "0")) {
            stopped(session);
            session.addBreakpoint("Nested.java:" + inline);

            List<String> methods = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Event.Stopped stop = resumeToStop(session);
                assertThat(stop.location().line()).isEqualTo(inline);
                methods.add(stop.location().method());
            }

            assertThat(methods.get(0)).isEqualTo("main");
            assertThat(methods.subList(1, 4)).allMatch(m -> m.startsWith("lambda$main$"));
        }
    }

    @Test
    void nestedClassesByTheirBinaryName() {
        int describe = line(Variables.class, "describe");
        try (Session session = Targets.launch(servers, Variables.class)) {
            stopped(session);
            Breakpoint simple = session.addBreakpoint("Variables$Order.describe");
            Breakpoint qualified = session.addBreakpoint("dev.sonde.fixtures.Variables$Order:" + describe);
            assertThat(simple.reason()).isEqualTo("class Variables$Order is not loaded yet; it is set when it loads");

            Event.Stopped entry = resumeToStop(session);
            assertThat(entry.breakpointIds()).containsExactly(simple.id());
            assertThat(entry.location().className()).isEqualTo("dev.sonde.fixtures.Variables$Order");
            assertThat(resumeToStop(session).breakpointIds()).containsExactly(qualified.id());
            assertThat(session.breakpoints()).allMatch(Breakpoint::verified);
        }
    }

    @Test
    void aLineInANestedClassNotLoadedYetSaysItMayStillCome() {
        int inner = line(Nested.class, "inner");
        try (Session session = Targets.launch(servers, Nested.class, "0")) {
            stopped(session);
            session.addBreakpoint("dev.sonde.fixtures.Nested.main");
            resumeToStop(session);
            Breakpoint pending = session.addBreakpoint("dev.sonde.fixtures.Nested:" + inner);
            assertThat(pending.verified()).isFalse();
            assertThat(pending.reason()).startsWith("line " + inner + " of Nested.java has no code in the classes loaded so far;"
                    + " it is set if a nested class that loads later has; nearest lines with code: ");
            Event.Stopped stop = resumeToStop(session);
            assertThat(stop.breakpointIds()).containsExactly(pending.id());
            assertThat(stop.location().className()).isEqualTo("dev.sonde.fixtures.Nested$Inner");
        }
    }

    @Test
    void nestedClassesAsJavaSourceNamesThem() {
        int describe = line(Variables.class, "describe");
        try (Session session = Targets.launch(servers, Variables.class)) {
            stopped(session);
            Breakpoint byMethod = session.addBreakpoint("dev.sonde.fixtures.Variables.Order.describe");
            Breakpoint byLine = session.addBreakpoint("Variables.Order:" + describe);

            Event.Stopped entry = resumeToStop(session);
            assertThat(entry.breakpointIds()).containsExactly(byMethod.id());
            assertThat(entry.location().className()).isEqualTo("dev.sonde.fixtures.Variables$Order");
            assertThat(resumeToStop(session).breakpointIds()).containsExactly(byLine.id());
        }
    }

    @Test
    void aClassLoadedByTwoLoadersStopsInBothCopies() {
        int pluginCall = line(Plugin.class, "plugin-call");
        try (Session session = Targets.launch(servers, TwoLoaders.class, "0")) {
            stopped(session);
            Breakpoint byFile = session.addBreakpoint("Plugin.java:" + pluginCall);
            Breakpoint byMethod = session.addBreakpoint("dev.sonde.fixtures.plugin.Plugin.call");

            List<String> loaders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Event.Stopped stop = resumeToStop(session);
                assertThat(stop.location()).isEqualTo(new Location("dev.sonde.fixtures.plugin.Plugin", "call", "Plugin.java", pluginCall));
                assertThat(stop.breakpointIds()).containsExactly(byFile.id(), byMethod.id());
                // TwoLoaders.main (below the bridge Plugin.call()Object) has the loop variable naming the loader of this copy.
                int mainFrame = session.stackTrace(stop.thread().id()).stream()
                        .filter(f -> f.location().className().equals(TwoLoaders.class.getName())).findFirst().orElseThrow().index();
                List<Variable> caller = session.variables(stop.thread().id(), mainFrame);
                loaders.add(Targets.rendered(caller).get("loaderName"));
            }

            assertThat(loaders).containsExactly("\"first\"", "\"second\"");
            session.resume();
            assertThat(Targets.terminated(session).exitCode()).isZero();
        }
    }

    @Test
    void aLineWithoutCodeIsUnverifiedWithTheNearestLines() {
        int tickBody = line(Counter.class, "tick-body");
        int blank = tickBody - 2;  // the empty line between main and tick
        int mainEnd = line(Counter.class, "after-loop") + 1;
        int lastCode = line(Counter.class, "tick-return");
        try (Session session = Targets.launch(servers, Counter.class)) {
            stopped(session);
            session.addBreakpoint("Counter.java:" + tickBody);
            resumeToStop(session);

            Breakpoint byFile = session.addBreakpoint("Counter.java:" + blank);
            Breakpoint byClass = session.addBreakpoint("dev.sonde.fixtures.Counter:" + blank);
            Breakpoint pastTheEnd = session.addBreakpoint("Counter.java:500");

            assertThat(byFile.verified()).isFalse();
            assertThat(byFile.reason()).isEqualTo("no code at line " + blank + " of Counter.java; nearest lines with code: "
                    + mainEnd + ", " + tickBody);
            assertThat(byClass.reason()).isEqualTo(byFile.reason());
            assertThat(pastTheEnd.reason()).isEqualTo("no code at line 500 of Counter.java; nearest lines with code: " + lastCode);
            assertThat(byFile.id()).isEqualTo(2);
            assertThat(pastTheEnd.id()).isEqualTo(4);
        }
    }

    @Test
    void anUnknownClassIsPendingNotAnError() {
        try (Session session = Targets.launch(servers, Counter.class)) {
            stopped(session);
            session.addBreakpoint("Counter.java:" + line(Counter.class, "tick-body"));
            resumeToStop(session);

            Breakpoint missingClass = session.addBreakpoint("com.example.Missing:10");
            Breakpoint missingFile = session.addBreakpoint("Missing.java:5");
            Breakpoint missingMethod = session.addBreakpoint("com.example.Missing.run");

            assertThat(missingClass.verified()).isFalse();
            assertThat(missingClass.reason()).isEqualTo("class com.example.Missing is not loaded yet; it is set when it loads");
            assertThat(missingFile.reason()).isEqualTo("no class from Missing.java is loaded yet; it is set when one loads");
            assertThat(missingMethod.reason()).isEqualTo("class com.example.Missing is not loaded yet; it is set when it loads");
            assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void aMethodTheLoadedClassLacksIsAnErrorListingItsMethods() {
        try (Session session = Targets.launch(servers, Counter.class)) {
            stopped(session);
            session.addBreakpoint("Counter.java:" + line(Counter.class, "tick-body"));
            resumeToStop(session);

            SondeException error = failure(() -> session.addBreakpoint("dev.sonde.fixtures.Counter.nope"));

            assertThat(error.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(error.getMessage()).isEqualTo("Class dev.sonde.fixtures.Counter has no method 'nope'; its methods are: main, tick.");
            assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(1);
            // The failed one used no id, and the session carries on.
            assertThat(session.addBreakpoint("Counter.tick").id()).isEqualTo(2);
        }
    }

    @Test
    void aDeferredMethodBreakpointSaysSoWhenItsClassLoadsWithoutTheMethod() {
        try (Session session = Targets.launch(servers, Nested.class, "0"); EventLog log = EventLog.of(session)) {
            stopped(session);
            Breakpoint pending = session.addBreakpoint("dev.sonde.fixtures.Nested.nope");
            assertThat(pending.reason()).isEqualTo("class dev.sonde.fixtures.Nested is not loaded yet; it is set when it loads");

            session.resume();

            Event.BreakpointChanged loaded = log.await(Event.BreakpointChanged.class,
                    c -> c.change() == Event.BreakpointChanged.Change.UPDATED, WAIT);
            assertThat(loaded.breakpoint().verified()).isFalse();
            assertThat(loaded.breakpoint().reason()).isEqualTo("class dev.sonde.fixtures.Nested has no method 'nope'; its methods are: main");
            assertThat(Targets.terminated(session).exitCode()).isZero();
        }
    }

    @Test
    void malformedSpecsAreRejectedInOneSentence() {
        try (Session session = Targets.launch(servers, Counter.class)) {
            stopped(session);
            String forms = "; write it as File.java:LINE, pkg.Class:LINE or pkg.Class.method.";

            assertThat(failure(() -> session.addBreakpoint("")).getMessage()).isEqualTo("Cannot read breakpoint location ''" + forms);
            assertThat(failure(() -> session.addBreakpoint("Counter.java:abc")).getMessage())
                    .isEqualTo("Cannot read breakpoint location 'Counter.java:abc'" + forms);
            assertThat(failure(() -> session.addBreakpoint("Counter.java")).getMessage())
                    .isEqualTo("Cannot read breakpoint location 'Counter.java'" + forms);
            assertThat(failure(() -> session.addBreakpoint("9lives:3")).getMessage())
                    .isEqualTo("Cannot read breakpoint location '9lives:3'" + forms);
            assertThat(failure(() -> session.addBreakpoint("Counter.java:0")).getMessage())
                    .isEqualTo("Line numbers start at 1, not 0; give a line of the file.");
            assertThat(failure(() -> session.addBreakpoint("Counter.java:99999999999")).getMessage())
                    .isEqualTo("Line number 99999999999 in 'Counter.java:99999999999' is too large; give a line of the file.");
            assertThat(failure(() -> session.addBreakpoint("Counter.java:-1")).kind()).isEqualTo(ErrorKind.INVALID_INPUT);

            // Nothing was half-added, and the session still takes a good one with the first id.
            assertThat(session.breakpoints()).isEmpty();
            assertThat(session.addBreakpoint("Counter.tick").id()).isEqualTo(1);
        }
    }

    @Test
    void aTemporaryBreakpointIsRemovedAfterItsFirstHit() {
        int tickBody = line(Counter.class, "tick-body");
        int tickReturn = line(Counter.class, "tick-return");
        try (Session session = Targets.launch(servers, Counter.class); EventLog log = EventLog.of(session)) {
            stopped(session);
            Breakpoint once = session.addBreakpoint(BreakpointSpec.parse("Counter.java:" + tickBody), BreakpointOptions.TEMPORARY);
            Breakpoint always = session.addBreakpoint("Counter.java:" + tickReturn);
            assertThat(once.summary()).startsWith("1 Counter.java:" + tickBody + " [temporary] — pending: ");

            Event.Stopped first = resumeToStop(session);
            assertThat(first.breakpointIds()).containsExactly(once.id());
            assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(always.id());
            log.await(Event.BreakpointChanged.class, c -> c.change() == Event.BreakpointChanged.Change.REMOVED
                    && c.breakpoint().id() == once.id(), WAIT);

            for (int round = 0; round < 3; round++) {
                Event.Stopped next = resumeToStop(session);
                assertThat(next.breakpointIds()).containsExactly(always.id());
                assertThat(next.location().line()).isEqualTo(tickReturn);
            }
            assertThat(session.statistics().hitsByBreakpoint()).containsEntry(once.id(), 1L).containsEntry(always.id(), 3L);
        }
    }

    @Test
    void aRemovedBreakpointNoLongerStops() {
        int tickBody = line(Counter.class, "tick-body");
        int tickReturn = line(Counter.class, "tick-return");
        try (Session session = Targets.launch(servers, Counter.class); EventLog log = EventLog.of(session)) {
            stopped(session);
            Breakpoint body = session.addBreakpoint("Counter.java:" + tickBody);
            Breakpoint ret = session.addBreakpoint("Counter.java:" + tickReturn);
            assertThat(resumeToStop(session).breakpointIds()).containsExactly(body.id());

            session.removeBreakpoint(body.id());

            assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(ret.id());
            log.await(Event.BreakpointChanged.class, c -> c.change() == Event.BreakpointChanged.Change.REMOVED
                    && c.breakpoint().id() == body.id(), WAIT);
            for (int round = 0; round < 3; round++) {
                assertThat(resumeToStop(session).breakpointIds()).containsExactly(ret.id());
            }
            SondeException unknown = failure(() -> session.removeBreakpoint(body.id()));
            assertThat(unknown.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(unknown.getMessage()).isEqualTo("There is no breakpoint " + body.id() + "; `breakpoints` lists them.");
        }
    }
}
