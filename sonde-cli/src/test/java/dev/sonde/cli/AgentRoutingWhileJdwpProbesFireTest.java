package dev.sonde.cli;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.event.Event;
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
 * thread for one running a call that does not end. The breakpoints routed are snapshots the agent then refuses (its
 * sentence shows the look let it ask the agent): one the agent took would rewrite the class each time, and dozens of
 * rewrites in seconds of a class with JDWP breakpoints have crashed HotSpot 25 (SIGSEGV in the interpreter).
 */
class AgentRoutingWhileJdwpProbesFireTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int LABEL = Markers.line(Probed.class, "order-label");
    private static final int START = Markers.line(Probed.class, "order-start");
    /** Routings to make while the JDWP snapshot fires, and snapshots to see meanwhile: enough to hit the race most runs. */
    private static final int ROUTINGS = 40;
    private static final int SNAPSHOTS = 300;
    /** A watch the agent refuses (not a variable or field path), so a snapshot watching it goes through JDWP. */
    private static final BreakpointOptions REFUSED_SNAPSHOT =
            BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Snapshot(0, List.of("total * 2"), 2));

    @Test
    @Timeout(300)
    void jdwpSnapshotsTakenWhileBreakpointsAreRoutedAllSucceedAndNoneIsTakenForARunningCall() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = servers.start(JvmLaunchSpec.of(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(),
                    Probed.class.getName())), (category, text) -> { });
            ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
            try (Session session = Session.connect("routing-race", JdiConnector.attach(server.address(), JdiOptions.DEFAULT),
                    SessionOptions.DEFAULT, WAIT, List.of(events::add))) {
                // Through JDWP, this snapshot holds main in order() at every hit.
                Breakpoint snapshot = session.addBreakpoint(new BreakpointSpec.FileLine("Probed.java", LABEL), REFUSED_SNAPSHOT);
                awaitEvent(events, e -> e instanceof Event.Snapshot s && s.breakpointId() == snapshot.id());

                List<Integer> routed = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
                while ((routed.size() < ROUTINGS || snapshots(events, snapshot.id()).size() < SNAPSHOTS) && System.nanoTime() < deadline) {
                    Breakpoint another = session.addBreakpoint(new BreakpointSpec.FileLine("Probed.java", START), REFUSED_SNAPSHOT);
                    routed.add(another.id());
                    awaitEvent(events, e -> e instanceof Event.Output o && o.text().contains("goes through JDWP")
                            && o.text().contains("reakpoint " + another.id() + " "));
                    session.removeBreakpoint(another.id());
                }
                session.removeBreakpoint(snapshot.id());

                List<Event.Snapshot> taken = snapshots(events, snapshot.id());
                assertThat(routed).as("routings made").hasSizeGreaterThanOrEqualTo(ROUTINGS);
                assertThat(taken).as("snapshots taken").hasSizeGreaterThanOrEqualTo(SNAPSHOTS);
                assertThat(events).as("errors").noneMatch(e -> e instanceof Event.Error);
                assertThat(taken).allSatisfy(s -> {
                    assertThat(s.viaAgent()).isFalse();
                    assertThat(s.stack().get(0).location().method()).isEqualTo("order");
                    assertThat(s.locals()).hasSize(2);
                    assertThat(s.watches()).singleElement().satisfies(w -> assertThat(w.error()).as(w.toString()).isNull());
                });
                // Each breakpoint got as far as the agent, which refused its watch: none was kept from it as in a running call.
                List<String> sentences = events.stream().filter(e -> e instanceof Event.Output o && o.text().contains("goes through JDWP"))
                        .map(e -> ((Event.Output) e).text().strip()).toList();
                assertThat(sentences).as("routing sentences").noneMatch(text -> text.contains("that is running and does not end"));
                for (int id : routed) {
                    assertThat(sentences).as("routing sentences").anyMatch(text -> text.startsWith("The Sonde agent refused breakpoint " + id + " ("));
                }
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
