package dev.sonde.cli;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Probed;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deciding whether the agent can take a breakpoint looks at every thread's stack; a JDWP snapshot being taken on
 * another thread at that moment must neither fail (its frames invalidated by the look) nor make the look take its held
 * thread for one running a call that does not end.
 */
class AgentRoutingWhileJdwpProbesFireTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int LABEL = Markers.line(Probed.class, "order-label");
    private static final int START = Markers.line(Probed.class, "order-start");
    /** Routings to make while the JDWP snapshot fires, and snapshots to see meanwhile: enough to hit the race most runs. */
    private static final int ROUTINGS = 25;
    private static final int SNAPSHOTS = 300;

    @Test
    @Timeout(300)
    void jdwpSnapshotsTakenWhileLogpointsAreRoutedAllSucceedAndEveryLogpointGoesToTheAgent() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = servers.start(JvmLaunchSpec.of(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(),
                    Probed.class.getName())), (category, text) -> { });
            ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
            try (Session session = Session.connect("routing-race", JdiConnector.attach(server.address(), JdiOptions.DEFAULT),
                    SessionOptions.DEFAULT, WAIT, List.of(events::add))) {
                // The agent refuses this watch, so the snapshot goes through JDWP and holds main in order() at every hit.
                Breakpoint snapshot = session.addBreakpoint(new BreakpointSpec.FileLine("Probed.java", LABEL),
                        BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Snapshot(0, List.of("total * 2"), 2)));
                awaitEvent(events, e -> e instanceof Event.Snapshot s && s.breakpointId() == snapshot.id());

                List<Boolean> routedToAgent = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
                while ((routedToAgent.size() < ROUTINGS || snapshots(events, snapshot.id()).size() < SNAPSHOTS) && System.nanoTime() < deadline) {
                    Breakpoint logpoint = session.addBreakpoint(new BreakpointSpec.FileLine("Probed.java", START),
                            BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Log("id={id}")));
                    Event.Output line = (Event.Output) awaitEvent(events, e -> e instanceof Event.Output o
                            && o.category() == OutputCategory.LOG && o.breakpointId() == logpoint.id());
                    routedToAgent.add(line.viaAgent());
                    session.removeBreakpoint(logpoint.id());
                }
                session.removeBreakpoint(snapshot.id());

                List<Event.Snapshot> taken = snapshots(events, snapshot.id());
                assertThat(routedToAgent).as("routings made").hasSizeGreaterThanOrEqualTo(ROUTINGS);
                assertThat(taken).as("snapshots taken").hasSizeGreaterThanOrEqualTo(SNAPSHOTS);
                assertThat(events).as("errors").noneMatch(e -> e instanceof Event.Error);
                assertThat(taken).allSatisfy(s -> {
                    assertThat(s.viaAgent()).isFalse();
                    assertThat(s.stack().get(0).location().method()).isEqualTo("order");
                    assertThat(s.locals()).hasSize(2);
                    assertThat(s.watches()).singleElement().satisfies(w -> assertThat(w.error()).as(w.toString()).isNull());
                });
                assertThat(events).as("routing sentences").filteredOn(e -> e instanceof Event.Output o && o.text().contains("goes through JDWP"))
                        .allSatisfy(e -> assertThat(((Event.Output) e).text()).startsWith("The Sonde agent refused breakpoint " + snapshot.id()));
                assertThat(routedToAgent).as("each logpoint's first line came from the agent").containsOnly(true);
            }
        }
    }

    private static List<Event.Snapshot> snapshots(ConcurrentLinkedQueue<Event> events, int breakpointId) {
        return events.stream().filter(e -> e instanceof Event.Snapshot s && s.breakpointId() == breakpointId).map(Event.Snapshot.class::cast).toList();
    }

    private static Event awaitEvent(ConcurrentLinkedQueue<Event> events, Predicate<Event> wanted) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Event> found = events.stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
        throw new AssertionError("no such event within " + WAIT.toSeconds() + " s; the events: " + events);
    }
}
