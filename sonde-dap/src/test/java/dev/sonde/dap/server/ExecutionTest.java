package dev.sonde.dap.server;

import dev.sonde.fixtures.Chatter;
import dev.sonde.fixtures.Stepper;
import dev.sonde.fixtures.Threads;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.PauseArguments;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.Thread;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sonde.dap.server.DapClient.get;
import static dev.sonde.dap.server.Requests.at;
import static dev.sonde.dap.server.Requests.resume;
import static dev.sonde.dap.server.Requests.setBreakpoints;
import static dev.sonde.dap.server.Requests.stackTrace;
import static dev.sonde.dap.server.Requests.topFrame;
import static org.assertj.core.api.Assertions.assertThat;

/** Steps, pause, continue, and threads (virtual ones included) with their events. */
class ExecutionTest {

    private static Adapter adapter;

    @BeforeAll
    static void listen() {
        adapter = new Adapter();
    }

    @AfterAll
    static void stop() {
        adapter.close();
    }

    @Test
    void nextStepInAndStepOutLandWhereJavaWould() {
        try (DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Stepper.class));
            setBreakpoints(client, Stepper.class, at(Fixtures.line(Stepper.class, "main-start")));
            client.configurationDone();
            int thread = client.stopped().getThreadId();

            NextArguments next = new NextArguments();
            next.setThreadId(thread);
            get(client.server().next(next));
            assertStep(client, "Stepper.main", Fixtures.line(Stepper.class, "call-outer"));

            StepInArguments stepIn = new StepInArguments();
            stepIn.setThreadId(thread);
            get(client.server().stepIn(stepIn));
            assertStep(client, "Stepper.outer", Fixtures.line(Stepper.class, "outer-call-inner"));
            get(client.server().stepIn(stepIn));
            assertStep(client, "Stepper.inner", Fixtures.line(Stepper.class, "inner-body"));

            StepOutArguments stepOut = new StepOutArguments();
            stepOut.setThreadId(thread);
            get(client.server().stepOut(stepOut));
            assertStep(client, "Stepper.outer", Fixtures.line(Stepper.class, "outer-call-inner"));
            assertThat(client.next("continued", org.eclipse.lsp4j.debug.ContinuedEventArguments.class).getAllThreadsContinued()).isTrue();
            get(client.server().disconnect(new DisconnectArguments()));
        }
    }

    @Test
    void pauseStopsEveryThreadAndNamesTheOneAskedFor() {
        try (DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Chatter.class, "5"));
            client.configurationDone();
            client.awaitOutput("stdout", "chatter 3");
            int main = Arrays.stream(get(client.server().threads()).getThreads())
                    .filter(t -> t.getName().equals("main")).findFirst().orElseThrow().getId();
            PauseArguments pause = new PauseArguments();
            pause.setThreadId(main);
            get(client.server().pause(pause));
            StoppedEventArguments stop = client.stopped();
            assertThat(stop.getReason()).isEqualTo("pause");
            assertThat(stop.getThreadId()).isEqualTo(main);
            assertThat(stop.getAllThreadsStopped()).isTrue();
            assertThat(stackTrace(client, main, null, null).getStackFrames()).extracting(StackFrame::getName).contains("Chatter.main");

            ContinueArguments unknown = new ContinueArguments();
            unknown.setThreadId(main + 9999);
            assertThat(DapClient.error(client.server().continue_(unknown))).isEqualTo("There is no thread " + (main + 9999)
                    + "; ask for the threads again.");
            // Still stopped: the stack is there to read.
            assertThat(stackTrace(client, main, null, null).getStackFrames()).extracting(StackFrame::getName).contains("Chatter.main");
            resume(client);
            PauseArguments pauseUnknown = new PauseArguments();
            pauseUnknown.setThreadId(main + 9999);
            assertThat(DapClient.error(client.server().pause(pauseUnknown))).startsWith("There is no thread ");
            get(client.server().disconnect(new DisconnectArguments()));
        }
    }

    @Test
    void threadsIncludeVirtualOnesAndThreadEventsFollowPlatformThreads() {
        try (DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Threads.class));
            setBreakpoints(client, Threads.class, at(Fixtures.line(Threads.class, "parked")));
            client.configurationDone();
            StoppedEventArguments first = client.stopped();
            resume(client);
            StoppedEventArguments second = client.stopped();
            assertThat(second.getThreadId()).isNotEqualTo(first.getThreadId());
            // Both workers are parked now: the virtual one exists for sure.
            Thread[] threads = get(client.server().threads()).getThreads();
            assertThat(Arrays.stream(threads).map(Thread::getName)).contains("main", "worker-platform", "worker-virtual (virtual)");
            assertThat(Arrays.stream(threads).map(Thread::getId)).contains(first.getThreadId(), second.getThreadId());
            ThreadEventArguments started = client.next("thread", ThreadEventArguments.class, t -> t.getReason().equals("started"));
            assertThat(Arrays.stream(threads).map(Thread::getId)).contains(started.getThreadId());
            assertThat(topFrame(client, second.getThreadId()).getName()).isEqualTo("Threads.work");
            assertThat(stackTrace(client, first.getThreadId(), null, null).getStackFrames()).extracting(StackFrame::getName)
                    .contains("Threads.work");
            get(client.server().disconnect(new DisconnectArguments()));
        }
    }

    private static void assertStep(DapClient client, String method, int line) {
        StoppedEventArguments stop = client.stopped();
        assertThat(stop.getReason()).isEqualTo("step");
        StackFrame top = topFrame(client, stop.getThreadId());
        assertThat(top.getName()).isEqualTo(method);
        assertThat(top.getLine()).isEqualTo(line);
    }
}
