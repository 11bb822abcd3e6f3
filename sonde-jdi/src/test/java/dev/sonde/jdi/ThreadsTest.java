package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThreadStatus;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.Threads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.sonde.jdi.Targets.WAIT;
import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.line;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Platform and virtual threads of one target (fixture Threads: two workers that park forever). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreadsTest {

    private final ServerManager servers = new ServerManager();
    private Session session;
    private final List<Event.Stopped> workerStops = new ArrayList<>();

    @BeforeAll
    void launchAndRunBothWorkersPastTheirBreakpoint() {
        session = Targets.launch(servers, Threads.class);
        stopped(session);
        try (EventLog log = EventLog.of(session)) {
            int work = session.addBreakpoint("Threads.java:" + line(Threads.class, "work")).id();
            workerStops.add(Targets.resumeToStop(session));
            workerStops.add(Targets.resumeToStop(session));
            session.removeBreakpoint(work);
            session.resume();
            // Both workers print before parking: once both lines are out, the program is in its final state.
            log.awaitOutput("hello from platform", WAIT);
            log.awaitOutput("hello from virtual", WAIT);
        }
        // A worker parks a moment after printing; there is no event for that, so look until both wait.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (session.threads().stream().filter(t -> t.name().startsWith("worker-"))
                .filter(t -> t.status() == ThreadStatus.WAITING).count() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    @AfterEach
    void leaveItRunning() {
        if (session.state() == SessionState.STOPPED) {
            session.resume();
        }
    }

    @AfterAll
    void end() {
        session.close();
        servers.close();
    }

    private ThreadInfo named(String name) {
        return session.threads().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void bothAPlatformAndAVirtualThreadStopAtABreakpoint() {
        assertThat(workerStops)
                .extracting(s -> s.thread().name(), s -> s.thread().virtual(), s -> s.thread().suspended())
                .containsExactlyInAnyOrder(tuple("worker-platform", false, true), tuple("worker-virtual", true, true));
        assertThat(workerStops).allSatisfy(stop -> {
            assertThat(stop.reason()).isEqualTo(StopReason.BREAKPOINT);
            assertThat(stop.location().method()).isEqualTo("work");
            assertThat(stop.allThreads()).isTrue();
        });
        assertThat(workerStops.get(0).thread().id()).isNotEqualTo(workerStops.get(1).thread().id());
    }

    @Test
    void threadsAreListedWithIdNameStateAndVirtualFlag() {
        session.pause();
        List<ThreadInfo> threads = session.threads();

        assertThat(threads).extracting(ThreadInfo::id).doesNotHaveDuplicates().isSorted();
        assertThat(threads).filteredOn(t -> List.of("main", "worker-platform", "worker-virtual").contains(t.name()))
                .extracting(ThreadInfo::name, ThreadInfo::virtual, ThreadInfo::status, ThreadInfo::suspended)
                .containsExactlyInAnyOrder(
                        tuple("main", false, ThreadStatus.WAITING, true),
                        tuple("worker-platform", false, ThreadStatus.WAITING, true),
                        tuple("worker-virtual", true, ThreadStatus.WAITING, true));
        assertThat(threads).filteredOn(ThreadInfo::virtual).extracting(ThreadInfo::name).containsExactly("worker-virtual");
        // The ids of the stops at the breakpoint are the ids listed.
        assertThat(threads).extracting(ThreadInfo::id).contains(workerStops.get(0).thread().id(), workerStops.get(1).thread().id());

        session.resume();
        assertThat(session.threads()).filteredOn(t -> t.name().startsWith("worker-")).noneMatch(ThreadInfo::suspended);
    }

    @Test
    void aParkedVirtualThreadShowsItsStack() {
        session.pause();
        long virtual = named("worker-virtual").id();

        List<Frame> frames = session.stackTrace(virtual);

        assertThat(frames).extracting(f -> f.location().className() + "." + f.location().method())
                .contains("dev.sonde.fixtures.Threads.work");
        Frame work = frames.stream().filter(f -> f.location().method().equals("work")).findFirst().orElseThrow();
        assertThat(work.location().line()).isEqualTo(line(Threads.class, "parked"));
        assertThat(Targets.rendered(session.variables(virtual, work.index()))).containsEntry("kind", "\"virtual\"");
    }

    @Test
    void pausingAllThreadsStopsEveryThread() {
        try (EventLog log = EventLog.of(session)) {
            session.pause();

            Event.Stopped stop = stopped(session);
            assertThat(stop.reason()).isEqualTo(StopReason.PAUSE);
            assertThat(stop.allThreads()).isTrue();
            assertThat(stop.breakpointIds()).isEmpty();
            assertThat(session.state()).isEqualTo(SessionState.STOPPED);
            assertThat(session.threads()).allMatch(ThreadInfo::suspended);

            session.resume();
            assertThat(session.state()).isEqualTo(SessionState.RUNNING);
            assertThat(log.awaitCount(Event.Continued.class, 1, WAIT)).containsExactly(new Event.Continued(0, true));
            assertThat(log.control()).extracting(Event::kind).containsExactly("stopped", "continued");
        }
    }

    @Test
    void pausingAndResumingOneThreadLeavesTheOthersAlone() {
        long platform = named("worker-platform").id();
        long main = named("main").id();
        try (EventLog log = EventLog.of(session)) {
            session.pauseThread(platform);

            Event.Stopped stop = stopped(session);
            assertThat(stop.reason()).isEqualTo(StopReason.PAUSE);
            assertThat(stop.allThreads()).isFalse();
            assertThat(stop.thread().id()).isEqualTo(platform);
            assertThat(stop.location().method()).isEqualTo(stopLocationOf(platform));
            assertThat(named("worker-platform").suspended()).isTrue();
            assertThat(named("main").suspended()).isFalse();
            assertThat(named("worker-virtual").suspended()).isFalse();
            assertThat(session.stackTrace(platform)).extracting(f -> f.location().method()).contains("work");
            // The others run: their stacks cannot be read.
            assertThat(failure(() -> session.stackTrace(main)).kind()).isEqualTo(ErrorKind.BAD_STATE);

            session.resumeThread(platform);

            assertThat(session.state()).isEqualTo(SessionState.RUNNING);
            assertThat(session.awaitStop(Duration.ZERO)).isInstanceOf(WaitOutcome.TimedOut.class);
            assertThat(named("worker-platform").suspended()).isFalse();
            assertThat(log.awaitCount(Event.Continued.class, 1, WAIT)).containsExactly(new Event.Continued(platform, false));
        }
    }

    @Test
    void pausingTwiceThenResumingOnceLetsEveryThreadRun() {
        session.pause();
        session.pause();
        long platform = named("worker-platform").id();
        session.pauseThread(platform);

        session.resume();

        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
        assertThat(session.threads()).noneMatch(ThreadInfo::suspended);
    }

    @Test
    void resumingOneThreadOfAStoppedTargetLetsJustThatOneRun() {
        session.pause();
        long platform = named("worker-platform").id();
        session.pauseThread(platform);

        session.resumeThread(platform);

        assertThat(named("worker-platform").suspended()).isFalse();
        assertThat(named("main").suspended()).isTrue();
        assertThat(session.state()).as("the rest is still held").isEqualTo(SessionState.STOPPED);
        session.resume();
        assertThat(session.threads()).noneMatch(ThreadInfo::suspended);
    }

    @Test
    void aThreadPausedOnItsOwnRunsAgainAfterAPauseOfAllAndAResume() {
        long platform = named("worker-platform").id();
        session.pauseThread(platform);
        session.pause();

        session.resume();

        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
        assertThat(session.threads()).noneMatch(ThreadInfo::suspended);
    }

    private String stopLocationOf(long thread) {
        return session.stackTrace(thread, 0, 1).get(0).location().method();
    }
}
