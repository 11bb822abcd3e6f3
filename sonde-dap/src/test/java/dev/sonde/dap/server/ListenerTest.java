package dev.sonde.dap.server;

import dev.sonde.fixtures.Counter;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.sonde.dap.server.DapClient.get;
import static dev.sonde.dap.server.Requests.at;
import static dev.sonde.dap.server.Requests.evaluate;
import static dev.sonde.dap.server.Requests.setBreakpoints;
import static dev.sonde.dap.server.Requests.topFrame;
import static org.assertj.core.api.Assertions.assertThat;

/** Several clients at once, each with its own session; closing the listener ends them all and leaves no thread behind. */
class ListenerTest {

    @Test
    void connectionsAreServedAtOnceAndEndWithTheListener() throws InterruptedException {
        Adapter adapter = new Adapter();
        DapClient first = adapter.connect();
        DapClient second = adapter.connect();
        first.launch(Fixtures.launch(Counter.class, "1000", "1"));
        second.launch(Fixtures.launch(Counter.class, "1000", "1"));
        setBreakpoints(first, Counter.class, at(Fixtures.line(Counter.class, "tick-body"), b -> b.setCondition("round == 2")));
        setBreakpoints(second, Counter.class, at(Fixtures.line(Counter.class, "tick-body"), b -> b.setCondition("round == 5")));
        first.configurationDone();
        second.configurationDone();
        StoppedEventArguments firstStop = first.stopped();
        StoppedEventArguments secondStop = second.stopped();
        assertThat(evaluate(first, topFrame(first, firstStop.getThreadId()).getId(), "round")).isEqualTo("2");
        assertThat(evaluate(second, topFrame(second, secondStop.getThreadId()).getId(), "round")).isEqualTo("5");
        assertThat(Processes.running(Counter.class)).hasSize(2);

        get(first.server().disconnect(new DisconnectArguments()));
        first.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (Processes.running(Counter.class).size() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Processes.running(Counter.class)).hasSize(1);
        assertThat(evaluate(second, topFrame(second, secondStop.getThreadId()).getId(), "round * 2")).isEqualTo("10");

        adapter.close();
        second.close();
        Processes.awaitNone(Counter.class);
        awaitNoThreads(List.of("sonde-dap-", "sonde-jdi-"));
    }

    private static void awaitNoThreads(List<String> prefixes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> prefixes.stream().anyMatch(name::startsWith)).toList();
            if (left.isEmpty()) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("threads left behind").isEmpty();
    }
}
