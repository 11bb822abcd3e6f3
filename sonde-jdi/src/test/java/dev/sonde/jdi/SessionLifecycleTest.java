package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.BindPolicy;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JdwpHandshake;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.SessionState;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.core.stats.SessionStats;
import dev.sonde.fixtures.Chatter;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Exiter;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.sonde.jdi.Targets.WAIT;
import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.javaArgs;
import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.resumeToStop;
import static dev.sonde.jdi.Targets.stopped;
import static dev.sonde.jdi.Targets.terminated;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session from start to end: launch held at entry, the state machine, the ordered event stream, statistics,
 * awaitStop, detach, kill, and cleanup when the target exits, dies or the connection drops; sessions isolated.
 */
class SessionLifecycleTest {

    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    @Test
    void launchHoldsTheTargetBeforeMainUntilTheFirstResume() {
        try (Session session = Targets.launch(servers, Exiter.class, "0", "3"); EventLog log = EventLog.of(session)) {
            Event.Stopped entry = stopped(session);

            assertThat(entry.reason()).isEqualTo(StopReason.ENTRY);
            assertThat(entry.thread().name()).isEqualTo("main");
            assertThat(entry.location()).isNull();
            assertThat(entry.allThreads()).isTrue();
            assertThat(session.state()).isEqualTo(SessionState.STOPPED);
            assertThat(session.stackTrace(entry.thread().id())).as("main has not run any code").isEmpty();
            assertThat(session.target().orElseThrow().pid()).isPositive();

            // A breakpoint on main's first line, set while held, is hit: nothing of main ran before.
            session.addBreakpoint("Exiter.main");
            Event.Stopped first = resumeToStop(session);
            assertThat(first.location().line()).isEqualTo(Targets.lineContaining(Exiter.class, "long waitMillis ="));
            assertThat(log.stdout()).doesNotContain("exiter started");
        }
    }

    @Test
    void outputFromBeforeTheSessionStartedKeepsItsCategory() {
        // The JVM warns about this option on its standard error before any debugger can attach.
        List<String> args = new ArrayList<>(javaArgs(Exiter.class, "0", "3"));
        args.add(0, "-Xverify:none");
        Session session = Session.open("early", JdiConnector.launch(JvmLaunchSpec.of(args), servers, JdiOptions.DEFAULT),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE));
        // Subscribed while the JVM is still starting, so the log sees what the session sees first.
        try (EventLog log = EventLog.of(session)) {
            stopped(session);
            session.resume();
            terminated(session);
            log.awaitCount(Event.Terminated.class, 1, WAIT);

            assertThat(log.all(Event.Output.class)).filteredOn(o -> o.text().contains("-Xverify:none"))
                    .isNotEmpty().allMatch(o -> o.category() == OutputCategory.STDERR);
            assertThat(log.stdout()).doesNotContain("-Xverify:none").contains("exiter started");
        }
    }

    @Test
    void aTargetThatExitsDuringTheLaunchFailsItAndLeavesNoTargetToAskAbout() {
        List<String> args = new ArrayList<>(javaArgs(Exiter.class, "0", "3"));
        args.add(0, "-XX:+NoSuchSondeTestOption");
        Session session = Session.open("early exit", JdiConnector.launch(JvmLaunchSpec.of(args), servers, JdiOptions.DEFAULT),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE));
        try {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> session.connected().get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(failure).isInstanceOf(java.util.concurrent.ExecutionException.class);
            assertThat(failure.getCause()).isInstanceOf(SondeException.class)
                    .hasMessageStartingWith("The debuggee exited with code 1 before its debug port opened: Unrecognized VM option");
            assertThat(session.target()).as("no target, and no exception for asking").isEmpty();
            terminated(session);
        } finally {
            session.close();
        }
    }

    @Test
    void statesGoFromConnectingThroughRunningAndStoppedToTerminatedWithEventsInOrder() throws Exception {
        int port = BindPolicy.freeLoopbackPort();
        HostPort address = new HostPort("127.0.0.1", port);
        Session session = Session.open("states", JdiConnector.attach(address, JdiOptions.DEFAULT.withAttachTimeout(WAIT)),
                SessionOptions.DEFAULT);
        try (EventLog log = EventLog.of(session)) {
            List<SessionState> states = new ArrayList<>();
            states.add(session.state());
            DebugServer server = servers.start(JvmLaunchSpec.of(javaArgs(Sleeper.class)).withBind("127.0.0.1", port, false),
                    new Output());
            session.connected().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            states.add(session.state());

            int nap = session.addBreakpoint("Sleeper.java:" + line(Sleeper.class, "nap")).id();
            Event.Stopped hit = stopped(session);
            states.add(session.state());
            session.removeBreakpoint(nap);
            session.resume();
            states.add(session.state());
            session.pause();
            stopped(session);
            states.add(session.state());
            session.resume();
            states.add(session.state());
            session.terminate();
            Event.Terminated end = terminated(session);
            states.add(session.state());

            assertThat(states).containsExactly(SessionState.CONNECTING, SessionState.RUNNING, SessionState.STOPPED,
                    SessionState.RUNNING, SessionState.STOPPED, SessionState.RUNNING, SessionState.TERMINATED);
            assertThat(hit.breakpointIds()).containsExactly(nap);
            assertThat(end).isEqualTo(new Event.Terminated("the target was killed", null));
            session.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            log.awaitCount(Event.Terminated.class, 1, WAIT);
            // On a busy machine the session can connect before Sleeper is loaded: the breakpoint is then added
            // pending and verified by an UPDATED when the class loads. That may or may not happen, but always
            // after ADDED and before the hit, which needs the class.
            List<Event> control = log.control();
            List<Event> updates = control.stream().filter(SessionLifecycleTest::isUpdate).toList();
            assertThat(updates).allSatisfy(update -> assertThat(control.indexOf(update))
                    .isBetween(0, control.indexOf(hit)));
            assertThat(control).filteredOn(e -> !isUpdate(e)).extracting(Event::kind).containsExactly(
                    "breakpointChanged", "stopped", "breakpointChanged", "continued", "stopped", "continued", "terminated");
            assertThat(log.all(Event.BreakpointChanged.class)).filteredOn(e -> !isUpdate(e))
                    .extracting(Event.BreakpointChanged::change).containsExactly(
                            Event.BreakpointChanged.Change.ADDED, Event.BreakpointChanged.Change.REMOVED);
            assertThat(server.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1);
            // TERMINATED is final.
            assertThat(session.awaitStop(Duration.ZERO)).isEqualTo(new WaitOutcome.Terminated(end));
            assertThat(failure(session::resume).kind()).isEqualTo(ErrorKind.TARGET_GONE);
        } finally {
            session.close();
        }
    }

    private static boolean isUpdate(Event event) {
        return event instanceof Event.BreakpointChanged changed && changed.change() == Event.BreakpointChanged.Change.UPDATED;
    }

    @Test
    void statisticsCountHitsEventsAndTimeStopped() throws Exception {
        Instant before = Instant.now();
        Session session = Targets.launch(servers, Counter.class);
        stopped(session);
        int tick = session.addBreakpoint("Counter.java:" + line(Counter.class, "tick-body")).id();
        for (int i = 0; i < 3; i++) {
            resumeToStop(session);
        }

        SessionStats live = session.statistics();
        assertThat(live.hitsByBreakpoint()).containsExactlyEntriesOf(java.util.Map.of(tick, 3L));
        assertThat(live.stops()).isEqualTo(4);
        assertThat(live.eventsByKind()).containsEntry("stopped", 4L).containsEntry("continued", 3L)
                .containsEntry("breakpointChanged", 2L).doesNotContainKey("terminated");
        assertThat(live.timeStopped()).isPositive();
        assertThat(live.duration()).isGreaterThanOrEqualTo(live.timeStopped());
        assertThat(live.startedAt()).isBetween(before, Instant.now());

        session.terminate();
        terminated(session);
        session.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        SessionStats ended = session.statistics();
        assertThat(ended.eventsByKind()).containsEntry("terminated", 1L);
        assertThat(ended.duration()).isGreaterThanOrEqualTo(live.duration());
        assertThat(session.statistics().duration()).as("the clock stops at the end").isEqualTo(ended.duration());
        assertThat(session.statistics().timeStopped()).isEqualTo(ended.timeStopped());
    }

    @Test
    void awaitStopReturnsAtOnceForAnEarlierStopAndTimesOutWhileRunning() {
        try (Session session = Targets.launch(servers, Counter.class)) {
            stopped(session);

            // The entry stop happened before these calls: no wait at all.
            WaitOutcome first = session.awaitStop(Duration.ZERO);
            assertThat(first).isInstanceOf(WaitOutcome.Stopped.class);
            assertThat(session.awaitStop(Duration.ZERO)).isEqualTo(first);

            session.resume();
            assertThat(session.awaitStop(Duration.ofMillis(200))).isEqualTo(new WaitOutcome.TimedOut(Duration.ofMillis(200)));

            session.addBreakpoint("Counter.tick");
            assertThat(session.awaitStop(WAIT)).isInstanceOf(WaitOutcome.Stopped.class)
                    .isNotEqualTo(first);
        }
    }

    @Test
    void aTargetThatExitsEndsTheSessionAfterItsOutputAndLeavesNothingBehind() throws Exception {
        Set<Thread> before = Leaks.liveThreads();
        Session session = Targets.launch(servers, Exiter.class, "100", "3");
        Leaks.SessionThreads threads = Leaks.SessionThreads.since(before);
        int port = HostPort.parse(session.target().orElseThrow().address()).port();
        try (EventLog log = EventLog.of(session)) {
            stopped(session);
            session.resume();

            Event.Terminated end = terminated(session);

            assertThat(end).isEqualTo(new Event.Terminated("the target exited with code 3", 3));
            log.awaitCount(Event.Terminated.class, 1, WAIT);
            List<Event> events = log.events();
            int terminatedAt = events.indexOf(end);
            assertThat(events.subList(terminatedAt + 1, events.size())).isEmpty();
            String nl = System.lineSeparator();
            assertThat(log.stdout()).isEqualTo("exiter started" + nl + "exiter leaving with 3" + nl);
            assertThat(log.all(Event.Output.class)).filteredOn(o -> o.category() == OutputCategory.STDERR)
                    .extracting(Event.Output::text).containsExactly("exiter stderr line" + nl);
        }
        threads.assertAllEnd(GRACE);
        assertThat(JdwpHandshake.probe(new HostPort("127.0.0.1", port), Duration.ofSeconds(1))).isEqualTo(JdwpHandshake.Result.REFUSED);
        assertThat(Leaks.awaitNoConnections(port, GRACE)).isEmpty();
        assertThat(servers.list()).isEmpty();
    }

    @Test
    void killEndsTheTargetAndTheSession() throws Exception {
        Set<Thread> before = Leaks.liveThreads();
        Session session = Targets.launch(servers, Counter.class);
        Leaks.SessionThreads threads = Leaks.SessionThreads.since(before);
        ProcessHandle target = ProcessHandle.of(session.target().orElseThrow().pid()).orElseThrow();
        int port = HostPort.parse(session.target().orElseThrow().address()).port();
        stopped(session);
        session.resume();

        session.terminate();

        assertThat(terminated(session)).isEqualTo(new Event.Terminated("the target was killed", 137));
        target.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        threads.assertAllEnd(GRACE);
        assertThat(Leaks.awaitNoConnections(port, GRACE)).isEmpty();
        SondeException after = failure(session::threads);
        assertThat(after.kind()).isEqualTo(ErrorKind.TARGET_GONE);
        assertThat(after.getMessage()).isEqualTo("Session " + session.id() + " has ended (the target was killed);"
                + " attach or launch again to continue.");
        session.close(); // harmless after the end
    }

    @Test
    void aTargetKilledFromOutsideEndsTheSession() throws Exception {
        Set<Thread> before = Leaks.liveThreads();
        Session session = Targets.launch(servers, Counter.class);
        Leaks.SessionThreads threads = Leaks.SessionThreads.since(before);
        ProcessHandle target = ProcessHandle.of(session.target().orElseThrow().pid()).orElseThrow();
        int port = HostPort.parse(session.target().orElseThrow().address()).port();
        stopped(session);
        session.addBreakpoint("Counter.tick");
        resumeToStop(session);

        target.destroyForcibly();

        Event.Terminated end = terminated(session);
        assertThat(end.exitCode()).isEqualTo(137);
        assertThat(end.reason()).isEqualTo("the target exited with code 137");
        threads.assertAllEnd(GRACE);
        assertThat(Leaks.awaitNoConnections(port, GRACE)).isEmpty();
    }

    @Test
    void aDroppedConnectionEndsTheSessionAndTheTargetRunsOn() throws Exception {
        Output output = new Output();
        DebugServer server = Targets.serve(servers, output, Chatter.class);
        Set<Thread> before = Leaks.liveThreads();
        try (TcpProxy proxy = new TcpProxy(server.address())) {
            Session session = Targets.attach(proxy.address());
            Leaks.SessionThreads threads = Leaks.SessionThreads.since(before);
            session.addBreakpoint("Chatter.java:" + line(Chatter.class, "chat"));
            stopped(session);

            proxy.cut();

            assertThat(terminated(session)).isEqualTo(new Event.Terminated("the connection to the target was lost", null));
            threads.assertAllEnd(GRACE);
            assertThat(Leaks.awaitNoConnections(proxy.address().port(), GRACE)).isEmpty();
        }
        // The agent let go of the target when its debugger vanished: it runs, and takes a new debugger.
        int seen = output.of(OutputCategory.STDOUT).length();
        output.awaitAfter(OutputCategory.STDOUT, seen, "chatter", WAIT);
        try (Session again = Targets.attach(server.address())) {
            assertThat(again.state()).isEqualTo(SessionState.RUNNING);
            assertThat(again.breakpoints()).isEmpty();
        }
    }

    @Test
    void detachLetsTheTargetRunOnAndASecondAttachWorks() throws Exception {
        Output output = new Output();
        DebugServer server = Targets.serve(servers, output, Chatter.class);
        Set<Thread> before = Leaks.liveThreads();
        Session first = Targets.attach(server.address());
        Leaks.SessionThreads threads = Leaks.SessionThreads.since(before);
        first.addBreakpoint("Chatter.java:" + line(Chatter.class, "chat"));
        Event.Stopped stop = stopped(first);
        assertThat(stop.reason()).isEqualTo(StopReason.BREAKPOINT);

        first.detach();

        assertThat(terminated(first)).isEqualTo(new Event.Terminated("detached; the target keeps running", null));
        int seen = output.of(OutputCategory.STDOUT).length();
        output.awaitAfter(OutputCategory.STDOUT, seen, "chatter", WAIT);
        assertThat(server.isAlive()).isTrue();
        threads.assertAllEnd(GRACE);

        try (Session second = Targets.attach(server.address())) {
            assertThat(second.state()).isEqualTo(SessionState.RUNNING);
            assertThat(second.breakpoints()).isEmpty();
            assertThat(second.threads()).filteredOn(t -> t.name().equals("main")).allMatch(t -> !t.suspended());
            int chat = second.addBreakpoint("Chatter.java:" + line(Chatter.class, "chat")).id();
            assertThat(chat).isEqualTo(1);
            assertThat(stopped(second).breakpointIds()).containsExactly(chat);
        }
        assertThat(server.isAlive()).isTrue();
    }

    @Test
    void detachingFromALaunchedTargetLeavesItRunning() throws Exception {
        Session session = Targets.launch(servers, Chatter.class);
        long pid = session.target().orElseThrow().pid();
        stopped(session);
        session.resume();

        session.detach();

        assertThat(terminated(session).reason()).isEqualTo("detached; the target keeps running");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(servers.list()).extracting(DebugServer::pid).contains(pid);
        servers.stopAll();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void concurrentSessionsAreIsolated() throws Exception {
        Session doomed = Targets.launch(servers, Counter.class);
        Session survivor = Targets.launch(servers, Counter.class);
        try {
            stopped(doomed);
            stopped(survivor);
            int tickBody = line(Counter.class, "tick-body");
            assertThat(doomed.addBreakpoint("Counter.java:" + tickBody).id()).isEqualTo(1);
            assertThat(survivor.addBreakpoint("Counter.java:" + tickBody).id()).isEqualTo(1);
            long doomedThread = resumeToStop(doomed).thread().id();
            long survivorThread = resumeToStop(survivor).thread().id();
            assertThat(doomed.target().orElseThrow().address()).isNotEqualTo(survivor.target().orElseThrow().address());

            ProcessHandle.of(doomed.target().orElseThrow().pid()).orElseThrow().destroyForcibly();
            terminated(doomed);

            assertThat(survivor.state()).isEqualTo(SessionState.STOPPED);
            assertThat(survivor.stackTrace(survivorThread)).extracting(f -> f.location().method()).containsExactly("tick", "main");
            String round = survivor.evaluate(survivorThread, 0, "round").render();
            Event.Stopped next = resumeToStop(survivor);
            assertThat(next.breakpointIds()).containsExactly(1);
            assertThat(survivor.evaluate(next.thread().id(), 0, "round").render()).isEqualTo(String.valueOf(Integer.parseInt(round) + 1));
            assertThat(survivor.addBreakpoint("Counter.tick").id()).isEqualTo(2);
            assertThat(survivor.statistics().hitsByBreakpoint()).containsEntry(1, 2L);
            assertThat(doomed.statistics().hitsByBreakpoint()).containsEntry(1, 1L);
            assertThat(failure(() -> doomed.stackTrace(doomedThread)).kind()).isEqualTo(ErrorKind.TARGET_GONE);
        } finally {
            doomed.close();
            survivor.close();
        }
    }

    @Test
    void closingALaunchedSessionEndsItsTarget() throws Exception {
        Session session = Targets.launch(servers, Counter.class);
        ProcessHandle target = ProcessHandle.of(session.target().orElseThrow().pid()).orElseThrow();
        stopped(session);

        session.close();

        assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
        target.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
