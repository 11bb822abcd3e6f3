package dev.sonde.jdi;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.breakpoints.HitCondition;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions, hit counts, logpoints and snapshots: breakpoints that decide, log or capture without stopping the target. */
class NonStopTest {

    private final ServerManager servers = new ServerManager();
    private static final String TICK = Counter.class.getName() + ":" + Markers.line(Counter.class, "tick-body");

    @AfterEach
    void stopServers() {
        servers.close();
    }

    private Session counter(int rounds) {
        Session session = Targets.launch(servers, Counter.class, Integer.toString(rounds), "0");
        Targets.stopped(session);
        return session;
    }

    /** Resumes until the target ends, collecting the value of {@code expression} at each stop. */
    private static List<String> valuesAtStops(Session session, String expression) {
        List<String> seen = new ArrayList<>();
        while (true) {
            session.resume();
            WaitOutcome outcome = session.awaitStop(Targets.WAIT);
            if (!(outcome instanceof WaitOutcome.Stopped stopped)) {
                assertThat(outcome).isInstanceOf(WaitOutcome.Terminated.class);
                return seen;
            }
            seen.add(session.evaluate(stopped.event().thread().id(), 0, expression).render());
        }
    }

    private static BreakpointOptions when(String condition) {
        return BreakpointOptions.DEFAULT.withCondition(condition);
    }

    @Test
    void aConditionStopsOnlyWhereItHolds() {
        try (Session session = counter(6)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), when("round % 3 == 2"));
            assertThat(valuesAtStops(session, "round")).containsExactly("2", "5");
            assertThat(session.statistics().hitsByBreakpoint()).containsEntry(1, 2L);
        }
    }

    @Test
    void hitCountsPickWhichHitsStop() {
        try (Session session = counter(6)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), BreakpointOptions.DEFAULT.withHitCondition(new HitCondition(HitCondition.Kind.HITS, 3)));
            assertThat(valuesAtStops(session, "round")).containsExactly("2");
        }
        try (Session session = counter(6)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), BreakpointOptions.DEFAULT.withHitCondition(new HitCondition(HitCondition.Kind.EVERY, 2)));
            assertThat(valuesAtStops(session, "round")).containsExactly("1", "3", "5");
        }
        try (Session session = counter(6)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), BreakpointOptions.DEFAULT.withHitCondition(new HitCondition(HitCondition.Kind.AFTER, 4)));
            assertThat(valuesAtStops(session, "round")).containsExactly("4", "5");
        }
    }

    @Test
    void hitCountsCountOnlyHitsWhoseConditionHolds() {
        try (Session session = counter(9)) {
            EventLog log = EventLog.of(session);
            session.addBreakpoint(BreakpointSpec.parse(TICK),
                    when("round % 2 == 0").withHitCondition(new HitCondition(HitCondition.Kind.EVERY, 2)));
            assertThat(valuesAtStops(session, "round")).as(() -> log.control().toString()).containsExactly("2", "6");
        }
    }

    @Test
    void aConditionThatRunsTargetCodeIsEvaluatedToo() {
        try (Session session = counter(6)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), when("Integer.toString(round).equals(\"4\")"));
            assertThat(valuesAtStops(session, "round")).containsExactly("4");
        }
    }

    @Test
    void aFailingConditionIsReportedOnceAndStopsByDefault() {
        try (Session session = counter(3); EventLog log = EventLog.of(session)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), when("round / 0 > 1"));
            assertThat(valuesAtStops(session, "round")).containsExactly("0", "1", "2");
            List<Event.Error> errors = log.all(Event.Error.class);
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).message()).startsWith("The condition `round / 0 > 1` of breakpoint 1 cannot be evaluated (")
                    .contains("ArithmeticException").endsWith("it stops at every hit until you fix it.");
        }
    }

    @Test
    void aFailingConditionCanCountAsFalse() {
        JdiOptions ignoring = new JdiOptions(JdiOptions.DEFAULT.attachTimeout(), JdiOptions.DEFAULT.stepFilters(), JdiOptions.DEFAULT.readLimits(),
                JdiOptions.DEFAULT.invokeTimeout(), false, 0);
        try (Session session = Targets.launch(servers, ignoring, Counter.class, "3", "0"); EventLog log = EventLog.of(session)) {
            Targets.stopped(session);
            session.addBreakpoint(BreakpointSpec.parse(TICK), when("nothing > 1"));
            assertThat(valuesAtStops(session, "round")).isEmpty();
            assertThat(log.all(Event.Error.class)).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("nothing").endsWith("it counts as false."));
        }
    }

    @Test
    void malformedExpressionsAreRefusedWhenTheBreakpointIsSet() {
        try (Session session = counter(2)) {
            var badCondition = Targets.failure(() -> session.addBreakpoint(BreakpointSpec.parse(TICK), when("round >")));
            assertThat(badCondition.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(badCondition.getMessage()).startsWith("Cannot parse 'round >' as a Java expression");
            var badTemplate = Targets.failure(() -> session.addBreakpoint(BreakpointSpec.parse(TICK),
                    BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Log("round {round"))));
            assertThat(badTemplate.getMessage()).isEqualTo("The log message has an unclosed '{' at position 7; close it, or write {{ for a literal brace.");
            assertThat(session.breakpoints()).isEmpty();
            assertThat(session.addBreakpoint(TICK).id()).isEqualTo(1);
        }
    }

    @Test
    void logpointsLogWithoutStopping() {
        try (Session session = counter(4); EventLog log = EventLog.of(session)) {
            Breakpoint logpoint = session.addBreakpoint(BreakpointSpec.parse(TICK),
                    BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Log("round {round}: {\"r\" + round} {{literal}} {nope}")));
            session.resume();
            assertThat(session.awaitStop(Targets.WAIT)).isInstanceOf(WaitOutcome.Terminated.class);
            List<Event.Output> logged = log.all(Event.Output.class).stream().filter(o -> o.category() == OutputCategory.LOG).toList();
            assertThat(logged).extracting(Event.Output::text).map(String::strip).containsExactly(
                    "round 0: r0 {literal} <No variable, field or class named 'nope' is visible in tick; visible here: round.>",
                    "round 1: r1 {literal} <No variable, field or class named 'nope' is visible in tick; visible here: round.>",
                    "round 2: r2 {literal} <No variable, field or class named 'nope' is visible in tick; visible here: round.>",
                    "round 3: r3 {literal} <No variable, field or class named 'nope' is visible in tick; visible here: round.>");
            assertThat(logged).allSatisfy(o -> assertThat(o.breakpointId()).isEqualTo(logpoint.id()));
            assertThat(log.all(Event.Stopped.class)).isEmpty();
            assertThat(session.statistics().hitsByBreakpoint()).containsEntry(logpoint.id(), 4L);
        }
    }

    @Test
    void aTemporaryLogpointLogsOnceAndGoes() {
        try (Session session = counter(3); EventLog log = EventLog.of(session)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), BreakpointOptions.TEMPORARY.withAction(new BreakpointAction.Log("once {round}")));
            session.resume();
            assertThat(session.awaitStop(Targets.WAIT)).isInstanceOf(WaitOutcome.Terminated.class);
            assertThat(log.all(Event.Output.class).stream().filter(o -> o.category() == OutputCategory.LOG).map(o -> o.text().strip()))
                    .containsExactly("once 0");
            assertThat(log.all(Event.BreakpointChanged.class)).anySatisfy(c -> assertThat(c.change()).isEqualTo(Event.BreakpointChanged.Change.REMOVED));
        }
    }

    @Test
    void snapshotsCaptureAndGoOn() {
        try (Session session = counter(5); EventLog log = EventLog.of(session)) {
            Breakpoint snap = session.addBreakpoint(BreakpointSpec.parse(TICK), when("round >= 1")
                    .withAction(new BreakpointAction.Snapshot(3, List.of("round * 10", "nope"), 2)));
            session.resume();
            assertThat(session.awaitStop(Targets.WAIT)).isInstanceOf(WaitOutcome.Terminated.class);
            List<Event.Snapshot> snapshots = log.all(Event.Snapshot.class);
            assertThat(snapshots).hasSize(3);
            assertThat(snapshots).extracting(Event.Snapshot::sequence).containsExactly(1L, 2L, 3L);
            Event.Snapshot first = snapshots.get(0);
            assertThat(first.breakpointId()).isEqualTo(snap.id());
            assertThat(first.thread().name()).isEqualTo("main");
            assertThat(first.stack()).extracting(f -> f.location().method()).containsExactly("tick", "main");
            assertThat(first.locals()).hasSize(2);
            assertThat(Targets.rendered(first.locals().get(0).variables())).containsEntry("round", "1");
            assertThat(Targets.rendered(first.locals().get(1).variables())).containsEntry("limit", "5").containsEntry("i", "1");
            assertThat(first.watches().get(0).value().render()).isEqualTo("10");
            assertThat(first.watches().get(1).error()).startsWith("No variable, field or class named 'nope'");
            assertThat(snapshots.get(2).watches().get(0).value().render()).isEqualTo("30");
            assertThat(first.locals().get(0).variables()).allSatisfy(v -> assertThat(v.value().ref()).isZero());
            assertThat(log.all(Event.Stopped.class)).isEmpty();
            assertThat(log.all(Event.BreakpointChanged.class)).anySatisfy(c -> {
                assertThat(c.change()).isEqualTo(Event.BreakpointChanged.Change.REMOVED);
                assertThat(c.breakpoint().id()).isEqualTo(snap.id());
            });
            assertThat(session.breakpoints()).isEmpty();
        }
    }

    @Test
    void aHitReadsOnlyTheLocalsItsExpressionsUseInOneRequest() throws Exception {
        // BenchTarget's marked line sees four locals (i, name, weight, price); the loop runs at full speed.
        DebugServer server = Targets.serve(servers, new Output(), BenchTarget.class);
        String hit = BenchTarget.class.getName() + ":" + Markers.line(BenchTarget.class, "hit");
        try (JdwpCounter counter = new JdwpCounter(server.address()); Session session = Targets.attach(counter.address())) {
            Breakpoint condition = session.addBreakpoint(BreakpointSpec.parse(hit), when("i < 0"));
            List<Integer> conditionReads = framesReadWhileHitting(counter);
            assertThat(conditionReads).as("a false condition reads i alone").containsOnly(1);
            session.removeBreakpoint(condition.id());

            session.addBreakpoint(BreakpointSpec.parse(hit), when("weight >= 0").withAction(new BreakpointAction.Log("i={i} weight={weight}")));
            List<Integer> logReads = framesReadWhileHitting(counter);
            assertThat(logReads).as("the condition and the message share one read of i and weight").containsOnly(2);
        }
    }

    /** Lets the target hit for a while and returns the sizes of the frame reads made meanwhile (at least ten hits). */
    private static List<Integer> framesReadWhileHitting(JdwpCounter counter) throws InterruptedException {
        counter.takeFrameReadSizes();
        List<Integer> reads = new ArrayList<>();
        long deadline = System.nanoTime() + Targets.WAIT.toNanos();
        while (reads.size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            reads.addAll(counter.takeFrameReadSizes());
        }
        assertThat(reads).as("frame reads at hits").hasSizeGreaterThanOrEqualTo(10);
        return reads;
    }

    @Test
    void aStopFromAConditionHoldsEveryThreadLikeAPlainStop() {
        try (Session session = counter(4)) {
            session.addBreakpoint(BreakpointSpec.parse(TICK), when("round == 1"));
            session.resume();
            Event.Stopped stop = ((WaitOutcome.Stopped) session.awaitStop(Targets.WAIT)).event();
            assertThat(stop.reason()).isEqualTo(StopReason.BREAKPOINT);
            assertThat(stop.allThreads()).isTrue();
            assertThat(session.threads()).allSatisfy(t -> assertThat(t.suspended()).as(t.name()).isTrue());
            session.resume();
            assertThat(session.awaitStop(Targets.WAIT)).isInstanceOf(WaitOutcome.Terminated.class);
        }
    }
}
