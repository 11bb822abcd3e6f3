package dev.sonde.jdi;

import dev.sonde.core.classes.Instances;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.locks.Deadlock;
import dev.sonde.core.locks.ThreadLocks;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.fixtures.Contention;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static dev.sonde.jdi.Targets.WAIT;
import static dev.sonde.jdi.Targets.stopped;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Monitors, j.u.c. locks and instances read through JDWP from a target with two deadlocks ({@link Contention}), running
 * and stopped: a running target is suspended only for the reads; a stopped one stays stopped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorsTest {

    private final ServerManager servers = new ServerManager();
    private Session session;

    @BeforeAll
    void runUntilBothDeadlocksHold() {
        session = Targets.launch(servers, Contention.class);
        stopped(session);
        try (EventLog log = EventLog.of(session)) {
            session.resume();
            log.awaitOutput("contention ready", WAIT);
        }
    }

    @AfterAll
    void end() {
        session.close();
        servers.close();
    }

    @Test
    void aRunningTargetIsSuspendedForTheReadsAndRunsOnAfter() {
        MonitorReport report = session.monitors();

        assertThat(report.suspendedMillis()).isGreaterThanOrEqualTo(0);
        // A cycle starts at its lowest debugger thread id, which follows the order the debugger first saw the threads in.
        assertThat(report.deadlocks()).extracting(d -> d.cycle().stream().map(ThreadLocks::threadName).sorted().toList())
                .containsExactlyInAnyOrder(List.of("monitor-left", "monitor-right"), List.of("lock-left", "lock-right"));
        assertThat(session.state()).isEqualTo(SessionState.RUNNING);
        assertThat(session.threads()).filteredOn(t -> t.name().equals("main")).extracting(ThreadInfo::suspended).containsExactly(false);
    }

    @Test
    void aStoppedTargetIsReadAsItIsAndStaysStopped() {
        session.pause();
        try {
            MonitorReport report = session.monitors();

            assertThat(report.suspendedMillis()).isEqualTo(-1);
            assertThat(report.deadlocks()).extracting(Deadlock::describe).anySatisfy(text -> assertThat(text)
                    .matches("deadlock: lock-(left|right) holds ReentrantLock\\$NonfairSync@\\d+, waits for ReentrantLock\\$NonfairSync@\\d+"
                            + " held by lock-(left|right), which waits for ReentrantLock\\$NonfairSync@\\d+")
                    .containsOnlyOnce("lock-left").containsOnlyOnce("lock-right"));
            assertThat(session.state()).isEqualTo(SessionState.STOPPED);
            assertThat(session.threads()).allMatch(ThreadInfo::suspended);
        } finally {
            session.resume();
        }
    }

    @Test
    void instancesAreCountedAndTheFirstOnesExpandWithoutRunningCode() {
        List<Instances> widgets = session.instances("Contention$Widget", 3);

        assertThat(widgets).singleElement().satisfies(type -> {
            assertThat(type.type().name()).isEqualTo(Contention.class.getName() + "$Widget");
            assertThat(type.count()).isEqualTo(3);
            assertThat(type.first()).hasSize(3).allSatisfy(v -> assertThat(v).isInstanceOf(Value.ObjectRef.class));
        });
        long ref = widgets.get(0).first().get(0).ref();
        assertThat(session.children(ref, 0)).extracting(Variable::name).containsExactly("name", "size");
    }
}
