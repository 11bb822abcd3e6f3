package dev.sonde.core.session;

import dev.sonde.core.backend.Backend;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThreadStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The session's own state machine, event ordering and bookkeeping, over a fake backend. Everything that
 * needs a target is tested against real JVMs in sonde-jdi.
 */
class SessionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ThreadInfo MAIN = new ThreadInfo(1, "main", ThreadStatus.RUNNING, false, true);
    private static final Location HERE = new Location("a.B", "run", "B.java", 3);

    private final FakeBackend backend = new FakeBackend();

    private Session connected(SessionOptions options) {
        return Session.connect("test", () -> CompletableFuture.completedFuture(backend), options, WAIT);
    }

    private Session connected() {
        return connected(SessionOptions.DEFAULT);
    }

    private static Event.Stopped stop(List<Integer> breakpoints) {
        return new Event.Stopped(breakpoints.isEmpty() ? StopReason.PAUSE : StopReason.BREAKPOINT, MAIN, HERE, breakpoints, true);
    }

    private static List<Event> recorder(Session session) {
        List<Event> seen = new CopyOnWriteArrayList<>();
        session.subscribe(seen::add);
        return seen;
    }

    @Test
    void connectingThenRunningThenStoppedAndBackThenTerminated() {
        CompletableFuture<Backend> connecting = new CompletableFuture<>();
        Session session = Session.open("states", () -> connecting, SessionOptions.DEFAULT);
        assertThat(session.state()).isEqualTo(SessionState.CONNECTING);
        assertThat(session.target()).isEmpty();
        assertThat(session.connected()).isNotDone();

        connecting.complete(backend);
        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
        assertThat(session.connected()).isCompleted();
        assertThat(session.target()).hasValueSatisfying(t -> assertThat(t.pid()).isEqualTo(42));
        assertThat(backend.calls).containsExactly("start");

        backend.fire(stop(List.of()));
        assertThat(session.state()).isEqualTo(SessionState.STOPPED);
        assertThat(session.currentStop()).contains(stop(List.of()));
        backend.fire(new Event.Continued(0, true));
        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
        assertThat(session.currentStop()).isEmpty();

        // One thread held, then let go: stopped only while it is held.
        backend.fire(new Event.Stopped(StopReason.PAUSE, MAIN, HERE, List.of(), false));
        assertThat(session.state()).isEqualTo(SessionState.STOPPED);
        backend.fire(new Event.Continued(MAIN.id(), false));
        assertThat(session.state()).isEqualTo(SessionState.RUNNING);

        // Everything held: resuming one thread leaves the target stopped.
        backend.fire(stop(List.of()));
        backend.fire(new Event.Continued(MAIN.id(), false));
        assertThat(session.state()).isEqualTo(SessionState.STOPPED);

        backend.fire(new Event.Terminated("the target exited with code 0", 0));
        assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
        assertThat(session.terminated()).isCompletedWithValue(new Event.Terminated("the target exited with code 0", 0));
        assertThat(session.currentStop()).isEmpty();

        // TERMINATED is final: later events are dropped.
        List<Event> seen = recorder(session);
        backend.fire(stop(List.of()));
        backend.fire(new Event.Continued(0, true));
        assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
        assertThat(seen).isEmpty();
    }

    @Test
    void aFailedConnectionEndsTheSessionWithTheReason() {
        SondeException refused = new SondeException(ErrorKind.CONNECTION, "Nothing accepted a debugger at 127.0.0.1:9.");
        Session session = Session.open("refused", () -> CompletableFuture.failedFuture(refused), SessionOptions.DEFAULT);

        assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
        assertThat(session.terminated().join().reason()).isEqualTo("Nothing accepted a debugger at 127.0.0.1:9.");
        assertThat(session.awaitStop(Duration.ZERO)).isInstanceOf(WaitOutcome.Terminated.class);
        SondeException thrown = catchThrowableOfType(SondeException.class,
                () -> Session.connect("refused", () -> CompletableFuture.failedFuture(refused), SessionOptions.DEFAULT, WAIT));
        assertThat(thrown).isSameAs(refused);
        SondeException thrownByConnector = catchThrowableOfType(SondeException.class,
                () -> Session.connect("throws", () -> { throw refused; }, SessionOptions.DEFAULT, WAIT));
        assertThat(thrownByConnector).isSameAs(refused);
    }

    @Test
    void aConnectionThatNeverAnswersTimesOut() {
        SondeException error = catchThrowableOfType(SondeException.class,
                () -> Session.connect("slow", CompletableFuture::new, SessionOptions.DEFAULT, Duration.ofMillis(100)));

        assertThat(error.kind()).isEqualTo(ErrorKind.TIMEOUT);
        assertThat(error.getMessage()).contains("Could not connect within");
    }

    @Test
    void eventsReachEverySubscriberInOrderEvenWhenASubscriberCausesMore() {
        Session session = connected();
        // The first subscriber resumes at every stop (from inside delivery); the second records.
        session.subscribe(event -> {
            if (event instanceof Event.Stopped) {
                session.resume();
            }
        });
        session.subscribe(event -> {
            throw new IllegalStateException("a broken subscriber disturbs nobody");
        });
        List<Event> seen = recorder(session);

        backend.fire(stop(List.of()));
        backend.fire(new Event.Output(OutputCategory.STDOUT, "hi\n"));

        assertThat(seen).containsExactly(stop(List.of()), new Event.Continued(0, true), new Event.Output(OutputCategory.STDOUT, "hi\n"));
        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() {
        Session session = connected();
        List<Event> seen = new ArrayList<>();
        Subscription subscription = session.subscribe(seen::add);
        backend.fire(stop(List.of()));
        subscription.close();
        backend.fire(new Event.Continued(0, true));

        assertThat(seen).containsExactly(stop(List.of()));
    }

    @Test
    void awaitStopReturnsAnEarlierStopAtOnceWaitsForALaterOneAndTimesOut() throws Exception {
        Session session = connected();
        assertThat(session.awaitStop(Duration.ofMillis(50))).isEqualTo(new WaitOutcome.TimedOut(Duration.ofMillis(50)));

        backend.fire(stop(List.of()));
        assertThat(session.awaitStop(Duration.ZERO)).isEqualTo(new WaitOutcome.Stopped(stop(List.of())));

        backend.fire(new Event.Continued(0, true));
        CountDownLatch waiting = new CountDownLatch(1);
        Thread later = Thread.ofPlatform().start(() -> {
            try {
                waiting.await();
            } catch (InterruptedException e) {
                return;
            }
            backend.fire(stop(List.of(4)));
        });
        waiting.countDown();
        assertThat(session.awaitStop(WAIT)).isEqualTo(new WaitOutcome.Stopped(stop(List.of(4))));
        later.join();

        backend.fire(new Event.Terminated("the target exited with code 3", 3));
        assertThat(session.awaitStop(WAIT)).isEqualTo(new WaitOutcome.Terminated(new Event.Terminated("the target exited with code 3", 3)));
    }

    @Test
    void awaitStopWakesWhenTheSessionEnds() throws Exception {
        Session session = connected();
        Thread ender = Thread.ofPlatform().start(() -> backend.fire(new Event.Terminated("gone", null)));
        WaitOutcome outcome = session.awaitStop(WAIT);
        ender.join();

        assertThat(outcome).isEqualTo(new WaitOutcome.Terminated(new Event.Terminated("gone", null)));
    }

    @Test
    void breakpointIdsStartAtOneAndAFailedAddUsesNone() {
        Session session = connected();
        List<Event> seen = recorder(session);

        assertThat(session.addBreakpoint("A.java:3").id()).isEqualTo(1);
        backend.breakpointFailure = SondeException.notFound("Class a.A has no method 'x'.");
        SondeException error = catchThrowableOfType(SondeException.class, () -> session.addBreakpoint("a.A.x"));
        assertThat(error.getMessage()).isEqualTo("Class a.A has no method 'x'.");
        backend.breakpointFailure = null;
        assertThat(session.addBreakpoint("a.A.y").id()).isEqualTo(2);

        assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(1, 2);
        assertThat(seen).filteredOn(Event.BreakpointChanged.class::isInstance).extracting(e -> ((Event.BreakpointChanged) e).change())
                .containsExactly(Event.BreakpointChanged.Change.ADDED, Event.BreakpointChanged.Change.ADDED);
        assertThat(catchThrowableOfType(SondeException.class, () -> session.addBreakpoint("A.java")).kind())
                .isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(session.addBreakpoint("a.A.z").id()).isEqualTo(3);

        // Another session counts from 1 again.
        FakeBackend other = new FakeBackend();
        Session second = Session.connect("other", () -> CompletableFuture.completedFuture(other), SessionOptions.DEFAULT, WAIT);
        assertThat(second.addBreakpoint("A.java:3").id()).isEqualTo(1);
    }

    @Test
    void verificationUpdatesTheBreakpointAndRemovalForgetsIt() {
        Session session = connected();
        Breakpoint pending = session.addBreakpoint("A.java:3");
        Breakpoint verified = Breakpoint.verified(pending.id(), pending.spec(), pending.options(), List.of(HERE));

        backend.fire(new Event.BreakpointChanged(verified, Event.BreakpointChanged.Change.UPDATED));
        assertThat(session.breakpoint(pending.id())).contains(verified);
        // An update for a breakpoint the session does not have is ignored.
        backend.fire(new Event.BreakpointChanged(Breakpoint.verified(9, pending.spec(), pending.options(), List.of(HERE)),
                Event.BreakpointChanged.Change.UPDATED));
        assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(pending.id());

        session.removeBreakpoint(pending.id());
        assertThat(session.breakpoints()).isEmpty();
        assertThat(backend.calls).contains("clearBreakpoint 1");
        SondeException unknown = catchThrowableOfType(SondeException.class, () -> session.removeBreakpoint(pending.id()));
        assertThat(unknown.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(unknown.getMessage()).isEqualTo("There is no breakpoint 1; `breakpoints` lists them.");
    }

    @Test
    void aTemporaryBreakpointGoesAtItsFirstHitRightAfterTheStop() {
        Session session = connected();
        List<Event> seen = recorder(session);
        Breakpoint once = session.addBreakpoint(BreakpointSpec.parse("A.java:3"), BreakpointOptions.TEMPORARY);
        Breakpoint always = session.addBreakpoint("A.java:4");
        seen.clear();

        backend.fire(stop(List.of(once.id(), always.id())));

        assertThat(session.breakpoints()).extracting(Breakpoint::id).containsExactly(always.id());
        assertThat(seen).containsExactly(stop(List.of(once.id(), always.id())),
                new Event.BreakpointChanged(once, Event.BreakpointChanged.Change.REMOVED));
        assertThat(session.statistics().hitsByBreakpoint()).containsEntry(once.id(), 1L).containsEntry(always.id(), 1L);
    }

    @Test
    void statisticsCountEventsHitsAndTimeStoppedUntilTheEnd() {
        Session session = connected();
        backend.fire(stop(List.of(1)));
        backend.fire(new Event.Continued(0, true));
        backend.fire(stop(List.of(1)));
        session.output(OutputCategory.CONSOLE, "note\n");

        var live = session.statistics();
        assertThat(live.stops()).isEqualTo(2);
        assertThat(live.hitsByBreakpoint()).containsExactlyEntriesOf(java.util.Map.of(1, 2L));
        assertThat(live.eventsByKind()).containsEntry("stopped", 2L).containsEntry("continued", 1L).containsEntry("output", 1L);
        assertThat(live.timeStopped()).isPositive().isLessThanOrEqualTo(live.duration());

        backend.fire(new Event.Terminated("done", 0));
        var ended = session.statistics();
        assertThat(ended.eventsByKind()).containsEntry("terminated", 1L);
        assertThat(session.statistics().duration()).isEqualTo(ended.duration());
        assertThat(session.statistics().timeStopped()).isEqualTo(ended.timeStopped());
    }

    @Test
    void callsAfterTheEndSayTheSessionIsOver() {
        Session session = connected();
        backend.fire(new Event.Terminated("the target exited with code 0", 0));

        SondeException error = catchThrowableOfType(SondeException.class, session::threads);

        assertThat(error.kind()).isEqualTo(ErrorKind.TARGET_GONE);
        assertThat(error.getMessage()).isEqualTo("Session " + session.id()
                + " has ended (the target exited with code 0); attach or launch again to continue.");
        assertThat(catchThrowableOfType(SondeException.class, () -> session.addBreakpoint("A.java:1")).kind())
                .isEqualTo(ErrorKind.TARGET_GONE);
    }

    @Test
    void closeDetachesOrTerminatesAsConfiguredAndAlwaysEnds() {
        Session attached = connected();
        attached.close();
        assertThat(backend.calls).contains("detach").doesNotContain("terminate");
        assertThat(attached.terminated().join().reason()).isEqualTo("detached; the target keeps running");

        FakeBackend launchedBackend = new FakeBackend();
        Session launched = Session.connect("launched", () -> CompletableFuture.completedFuture(launchedBackend),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), WAIT);
        launched.close();
        assertThat(launchedBackend.calls).contains("terminate").doesNotContain("detach");
        launched.close();
        assertThat(launchedBackend.calls).filteredOn("terminate"::equals).hasSize(1);

        // A backend that never reports its end still leaves a closed session ended.
        FakeBackend mute = new FakeBackend();
        mute.endsOnRequest = false;
        Session silent = Session.connect("mute", () -> CompletableFuture.completedFuture(mute),
                SessionOptions.DEFAULT.withRequestTimeout(Duration.ofMillis(200)), WAIT);
        silent.close();
        assertThat(silent.state()).isEqualTo(SessionState.TERMINATED);
        assertThat(silent.terminated().join().reason()).isEqualTo("session closed");
    }

    @Test
    void sessionsHaveDistinctIdsAndTheManagerForgetsEndedOnes() throws Exception {
        try (SessionManager manager = new SessionManager()) {
            FakeBackend first = new FakeBackend();
            FakeBackend second = new FakeBackend();
            Session a = manager.open("a", () -> CompletableFuture.completedFuture(first), SessionOptions.DEFAULT);
            Session b = manager.open("b", () -> CompletableFuture.completedFuture(second), SessionOptions.DEFAULT);
            assertThat(a.id()).isNotEqualTo(b.id());
            assertThat(manager.sessions()).containsExactly(a, b);
            assertThat(manager.get(b.id())).isSameAs(b);

            first.fire(new Event.Terminated("gone", null));
            a.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(manager.sessions()).containsExactly(b);
            assertThat(b.state()).isEqualTo(SessionState.RUNNING);
            assertThat(catchThrowableOfType(SondeException.class, () -> manager.get(a.id())).getMessage())
                    .isEqualTo("There is no session " + a.id() + "; list the live ones first.");
        }
    }
}
