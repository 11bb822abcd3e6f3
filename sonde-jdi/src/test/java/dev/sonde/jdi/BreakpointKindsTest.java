package dev.sonde.jdi;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Failures;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Exception breakpoints, method-exit breakpoints and field watchpoints. */
class BreakpointKindsTest {

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopServers() {
        servers.close();
    }

    private Session launch(Class<?> fixture, String... args) {
        Session session = Targets.launch(servers, fixture, args);
        Targets.stopped(session);
        return session;
    }

    private static BreakpointSpec.ExceptionThrown exception(String type, boolean caught, boolean uncaught, List<String> include,
                                                            List<String> exclude) {
        return new BreakpointSpec.ExceptionThrown(type, caught, uncaught, include, exclude);
    }

    /** Resumes until the end, collecting every stop. */
    private static List<Event.Stopped> stopsUntilTheEnd(Session session) {
        List<Event.Stopped> stops = new ArrayList<>();
        while (true) {
            session.resume();
            WaitOutcome outcome = session.awaitStop(Targets.WAIT);
            if (!(outcome instanceof WaitOutcome.Stopped stopped)) {
                return stops;
            }
            stops.add(stopped.event());
        }
    }

    @Test
    void caughtExceptionsStopWhereTheyAreThrownAndSayWhereTheyAreCaught() {
        try (Session session = launch(Failures.class, "0")) {
            Breakpoint breakpoint = session.addBreakpoint(exception("IllegalStateException", true, false, List.of(), List.of()),
                    BreakpointOptions.DEFAULT);
            List<Event.Stopped> stops = stopsUntilTheEnd(session);
            assertThat(stops).hasSize(3).allSatisfy(stop -> {
                assertThat(stop.reason()).isEqualTo(StopReason.EXCEPTION);
                assertThat(stop.breakpointIds()).containsExactly(breakpoint.id());
                assertThat(stop.location().line()).isEqualTo(Markers.line(Failures.class, "throw"));
            });
            StopDetail.ExceptionThrown first = (StopDetail.ExceptionThrown) stops.get(0).detail();
            assertThat(first.type()).isEqualTo("java.lang.IllegalStateException");
            assertThat(first.message()).isEqualTo("attempt 1 failed");
            assertThat(first.uncaught()).isFalse();
            assertThat(first.catchAt().method()).isEqualTo("main");
            assertThat(((StopDetail.ExceptionThrown) stops.get(2).detail()).message()).isEqualTo("attempt 3 failed");
        }
    }

    @Test
    void uncaughtOnlyStopsForWhatNothingCatchesAndSubclassesCount() {
        try (Session session = launch(Failures.class, "0")) {
            session.addBreakpoint(exception("java.lang.RuntimeException", false, true, List.of(), List.of()), BreakpointOptions.DEFAULT);
            List<Event.Stopped> stops = stopsUntilTheEnd(session);
            assertThat(stops).singleElement().satisfies(stop -> {
                StopDetail.ExceptionThrown thrown = (StopDetail.ExceptionThrown) stop.detail();
                assertThat(thrown.type()).isEqualTo("java.lang.UnsupportedOperationException");
                assertThat(thrown.uncaught()).isTrue();
                assertThat(stop.location().line()).isEqualTo(Markers.line(Failures.class, "uncaught"));
            });
        }
    }

    @Test
    void classFiltersChooseWhereThrowsCount() {
        try (Session session = launch(Failures.class, "0")) {
            session.addBreakpoint(exception(null, true, true, List.of("java.*"), List.of()), BreakpointOptions.DEFAULT);
            List<Event.Stopped> stops = stopsUntilTheEnd(session);
            assertThat(stops).isNotEmpty().allSatisfy(stop -> assertThat(stop.location().className()).startsWith("java."));
            assertThat(stops).anySatisfy(stop -> assertThat(((StopDetail.ExceptionThrown) stop.detail()).type())
                    .isEqualTo("java.lang.NumberFormatException"));
        }
        try (Session session = launch(Failures.class, "0")) {
            session.addBreakpoint(exception("IllegalStateException", true, true, List.of(), List.of("dev.sonde.fixtures.*")),
                    BreakpointOptions.DEFAULT);
            assertThat(stopsUntilTheEnd(session)).isEmpty();
        }
    }

    @Test
    void anExceptionClassThatNeverLoadsStaysPending() {
        try (Session session = launch(Failures.class, "0")) {
            Breakpoint pending = session.addBreakpoint(exception("com.acme.NeverThrownException", true, true, List.of(), List.of()),
                    BreakpointOptions.DEFAULT);
            assertThat(pending.verified()).isFalse();
            assertThat(pending.reason()).isEqualTo("exception class com.acme.NeverThrownException is not loaded yet; it is set when it loads");
            assertThat(stopsUntilTheEnd(session)).isEmpty();
        }
    }

    @Test
    void methodExitStopsWithTheValueReturned() {
        try (Session session = launch(Counter.class, "3", "0")) {
            Breakpoint breakpoint = session.addBreakpoint(BreakpointSpec.parse(Counter.class.getName() + ".tick exit"), BreakpointOptions.DEFAULT);
            assertThat(breakpoint.spec()).isInstanceOf(BreakpointSpec.MethodExit.class);
            List<Event.Stopped> stops = stopsUntilTheEnd(session);
            assertThat(stops).hasSize(3).allSatisfy(stop -> assertThat(stop.reason()).isEqualTo(StopReason.METHOD_EXIT));
            // tick(round) returns round * 2 + "round N".length()
            assertThat(stops).extracting(stop -> ((StopDetail.Returning) stop.detail()).value().render()).containsExactly("7", "9", "11");
            assertThat(((StopDetail.Returning) stops.get(0).detail()).method()).isEqualTo(Counter.class.getName() + ".tick");
        }
    }

    @Test
    void methodExitOfAMethodTheClassLacksIsRefused() {
        try (Session session = launch(Counter.class, "3", "200")) {
            session.resume();
            session.addBreakpoint(Counter.class.getName() + ".tick");
            Targets.stopped(session);
            var failure = Targets.failure(() -> session.addBreakpoint(new BreakpointSpec.MethodExit(Counter.class.getName(), "tock"),
                    BreakpointOptions.DEFAULT));
            assertThat(failure.kind()).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(failure.getMessage()).startsWith("Class " + Counter.class.getName() + " has no method 'tock'; its methods are: ");
        }
    }

    @Test
    void watchpointsSeeWritesWithOldAndNewValuesAndReads() {
        try (Session session = launch(Failures.class, "0")) {
            session.addBreakpoint(new BreakpointSpec.FieldWatch(Failures.class.getName(), "attempts", false, true), BreakpointOptions.DEFAULT);
            session.addBreakpoint(new BreakpointSpec.FieldWatch(Failures.class.getName(), "attempts", true, false), BreakpointOptions.DEFAULT);
            List<Event.Stopped> stops = stopsUntilTheEnd(session);
            List<Event.Stopped> writes = stops.stream().filter(s -> s.detail() instanceof StopDetail.FieldModified).toList();
            assertThat(writes).hasSize(3);
            StopDetail.FieldModified first = (StopDetail.FieldModified) writes.get(0).detail();
            assertThat(first.field()).isEqualTo("Failures.attempts");
            assertThat(first.oldValue().render()).isEqualTo("0");
            assertThat(first.newValue().render()).isEqualTo("1");
            assertThat(((StopDetail.FieldModified) writes.get(2).detail()).newValue().render()).isEqualTo("3");
            List<Event.Stopped> reads = stops.stream().filter(s -> s.detail() instanceof StopDetail.FieldAccessed).toList();
            assertThat(reads).singleElement().satisfies(read -> {
                assertThat(((StopDetail.FieldAccessed) read.detail()).value().render()).isEqualTo("3");
                assertThat(read.location().line()).isEqualTo(Markers.line(Failures.class, "attempts-read"));
                assertThat(read.reason()).isEqualTo(StopReason.WATCHPOINT);
            });
        }
    }

    @Test
    void watchingAFieldTheClassLacksIsRefused() {
        try (Session session = launch(Counter.class, "3", "200")) {
            session.resume();
            session.addBreakpoint(Counter.class.getName() + ".tick");
            Targets.stopped(session);
            var failure = Targets.failure(() -> session.addBreakpoint(new BreakpointSpec.FieldWatch(Counter.class.getName(), "count", false, true),
                    BreakpointOptions.DEFAULT));
            assertThat(failure.getMessage()).isEqualTo("Class " + Counter.class.getName() + " has no field 'count'.");
        }
    }
}
