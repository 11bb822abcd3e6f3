package dev.sonde.cli;

import dev.sonde.core.agent.AsyncStacksLaunch;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Frame;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.AsyncChains;
import dev.sonde.fixtures.Markers;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code Session.asyncStack} over the JVM backend: the hand-offs of a nested stage, nearest first, with their lines. */
class AsyncStackSessionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(120)
    void aNestedStageHasBothHandOffsNearestFirst() {
        List<String> javaArgs = new ArrayList<>(AsyncStacksLaunch.jvmArgs(false));
        javaArgs.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), AsyncChains.class.getName()));
        try (ServerManager servers = new ServerManager();
             Session session = Session.connect("async", JdiConnector.launch(JvmLaunchSpec.of(javaArgs), servers, JdiOptions.DEFAULT),
                     SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), WAIT)) {
            session.awaitStop(WAIT);
            session.addBreakpoint("AsyncChains.java:" + Markers.line(AsyncChains.class, "nested"));
            session.resume();
            WaitOutcome outcome = session.awaitStop(WAIT);
            assertThat(outcome).isInstanceOf(WaitOutcome.Stopped.class);
            Event.Stopped stop = ((WaitOutcome.Stopped) outcome).event();
            long thread = stop.thread().id();

            session.stackTrace(thread);
            long cold = System.nanoTime();
            List<AsyncSegment> segments = session.asyncStack(thread);
            cold = System.nanoTime() - cold;
            assertThat(segments).extracting(AsyncSegment::kind).containsExactly("supplyAsync", "supplyAsync");
            assertThat(segments).extracting(AsyncSegment::thread).containsExactly("\"orders-pool\"", "\"main\"");
            assertThat(segments.get(1).frames()).extracting(Frame::location)
                    .anySatisfy(location -> {
                        assertThat(location.method()).isEqualTo("lookupCustomer");
                        assertThat(location.file()).isEqualTo("AsyncChains.java");
                        assertThat(location.line()).isPositive();
                    });

            // What reading the async part adds at a stop (printed for docs/performance.md; timing goals live in benchmarks).
            int rounds = 50;
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                session.stackTrace(thread);
            }
            long stackOnly = System.nanoTime() - start;
            start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                session.stackTrace(thread);
                session.asyncStack(thread);
            }
            long withAsync = System.nanoTime() - start;
            System.out.printf("async stack read: where %.3f ms, where + async (2 hand-offs) %.3f ms, first async read %.3f ms%n",
                    stackOnly / 1e6 / rounds, withAsync / 1e6 / rounds, cold / 1e6);
        }
    }
}
