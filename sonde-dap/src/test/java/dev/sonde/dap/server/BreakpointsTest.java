package dev.sonde.dap.server;

import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Thrower;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionFilterOptions;
import org.eclipse.lsp4j.debug.ExceptionInfoArguments;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;
import org.eclipse.lsp4j.debug.FunctionBreakpoint;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceResponse;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.sonde.dap.server.DapClient.get;
import static dev.sonde.dap.server.Requests.at;
import static dev.sonde.dap.server.Requests.evaluate;
import static dev.sonde.dap.server.Requests.resume;
import static dev.sonde.dap.server.Requests.setBreakpoints;
import static dev.sonde.dap.server.Requests.stackTrace;
import static dev.sonde.dap.server.Requests.topFrame;
import static org.assertj.core.api.Assertions.assertThat;

/** Source, function and exception breakpoints: verification, stops, replacement, conditions, hit counts, logpoints. */
class BreakpointsTest {

    private static final int TICK_BODY = Fixtures.line(Counter.class, "tick-body");
    private static final int TICK_RETURN = Fixtures.line(Counter.class, "tick-return");
    private static final int CALL_TICK = Fixtures.line(Counter.class, "call-tick");

    private static Adapter adapter;
    private DapClient client;

    @BeforeAll
    static void listen() {
        adapter = new Adapter();
    }

    @AfterAll
    static void stop() {
        adapter.close();
    }

    @BeforeEach
    void connect() {
        client = adapter.connect();
    }

    @AfterEach
    void disconnect() {
        get(client.server().disconnect(new DisconnectArguments()));
        client.close();
    }

    @Test
    void aBreakpointIsVerifiedWhenItsClassLoadsAndStopsWithTheClientsPath() {
        client.launch(Fixtures.launch(Counter.class, "1000", "1"));
        Breakpoint pending = setBreakpoints(client, Counter.class, at(TICK_BODY))[0];
        assertThat(pending.isVerified()).isFalse();
        assertThat(pending.getMessage()).isNotBlank();
        assertThat(pending.getLine()).isEqualTo(TICK_BODY);
        assertThat(pending.getSource().getPath()).isEqualTo(Fixtures.sourcePath(Counter.class));
        client.configurationDone();

        BreakpointEventArguments verified = client.next("breakpoint", BreakpointEventArguments.class);
        assertThat(verified.getReason()).isEqualTo("changed");
        assertThat(verified.getBreakpoint().getId()).isEqualTo(pending.getId());
        assertThat(verified.getBreakpoint().isVerified()).isTrue();
        assertThat(verified.getBreakpoint().getLine()).isEqualTo(TICK_BODY);

        StoppedEventArguments stop = client.stopped();
        assertThat(stop.getReason()).isEqualTo("breakpoint");
        assertThat(stop.getHitBreakpointIds()).containsExactly(pending.getId());
        assertThat(stop.getAllThreadsStopped()).isTrue();
        StackTraceResponse stack = stackTrace(client, stop.getThreadId(), null, null);
        assertThat(stack.getTotalFrames()).isEqualTo(2);
        StackFrame top = stack.getStackFrames()[0];
        assertThat(top.getName()).isEqualTo("Counter.tick");
        assertThat(top.getLine()).isEqualTo(TICK_BODY);
        assertThat(top.getColumn()).isEqualTo(1);
        assertThat(top.getSource().getPath()).isEqualTo(Fixtures.sourcePath(Counter.class));
        assertThat(top.getSource().getName()).isEqualTo("Counter.java");

        StackTraceResponse page = stackTrace(client, stop.getThreadId(), 1, 1);
        assertThat(page.getTotalFrames()).isEqualTo(2);
        assertThat(Arrays.stream(page.getStackFrames()).map(StackFrame::getName)).containsExactly("Counter.main");
        assertThat(page.getStackFrames()[0].getLine()).isEqualTo(CALL_TICK);
    }

    @Test
    void setBreakpointsReplacesTheFilesBreakpointsAndKeepsTheUnchangedOnes() {
        client.launch(Fixtures.launch(Counter.class, "1000", "1"));
        Breakpoint[] first = setBreakpoints(client, Counter.class, at(TICK_BODY), at(TICK_RETURN));
        Breakpoint[] second = setBreakpoints(client, Counter.class, at(TICK_RETURN), at(CALL_TICK));
        assertThat(second[0].getId()).isEqualTo(first[1].getId());
        assertThat(second[1].getId()).isNotIn(first[0].getId(), first[1].getId());
        client.configurationDone();

        StoppedEventArguments stop = client.stopped();
        assertThat(stop.getHitBreakpointIds()).containsExactly(second[1].getId());
        assertThat(topFrame(client, stop.getThreadId()).getLine()).isEqualTo(CALL_TICK);
        resume(client);
        stop = client.stopped();
        assertThat(stop.getHitBreakpointIds()).containsExactly(second[0].getId());
        assertThat(topFrame(client, stop.getThreadId()).getLine()).isEqualTo(TICK_RETURN);

        assertThat(setBreakpoints(client, Counter.class)).isEmpty();
        resume(client);
        assertThat(client.awaitOutput("stdout", "counted")).contains("counted");
    }

    @Test
    void conditionsAndHitConditionsChooseTheStops() {
        client.launch(Fixtures.launch(Counter.class, "1000", "1"));
        setBreakpoints(client, Counter.class, at(TICK_BODY, b -> b.setCondition("round == 3")));
        client.configurationDone();
        StoppedEventArguments stop = client.stopped();
        assertThat(evaluate(client, topFrame(client, stop.getThreadId()).getId(), "round")).isEqualTo("3");

        Breakpoint thirdHit = setBreakpoints(client, Counter.class, at(TICK_BODY, b -> b.setHitCondition("3")))[0];
        assertThat(thirdHit.isVerified()).isTrue();
        resume(client);
        stop = client.stopped();
        assertThat(evaluate(client, topFrame(client, stop.getThreadId()).getId(), "round")).isEqualTo("6");

        setBreakpoints(client, Counter.class, at(TICK_BODY, b -> b.setHitCondition("% 5")));
        resume(client);
        stop = client.stopped();
        assertThat(evaluate(client, topFrame(client, stop.getThreadId()).getId(), "round")).isEqualTo("11");

        setBreakpoints(client, Counter.class, at(TICK_BODY, b -> b.setHitCondition("after 2")));
        resume(client);
        stop = client.stopped();
        assertThat(evaluate(client, topFrame(client, stop.getThreadId()).getId(), "round")).isEqualTo("14");

        Breakpoint unreadable = setBreakpoints(client, Counter.class, at(TICK_BODY, b -> b.setHitCondition("sometimes")))[0];
        assertThat(unreadable.isVerified()).isFalse();
        assertThat(unreadable.getId()).isNull();
        assertThat(unreadable.getMessage()).isEqualTo(
                "Cannot read hit condition 'sometimes'; write N (the Nth hit), >= N, > N, % N (every Nth), or hits N, every N, after N.");
    }

    @Test
    void logpointsWriteToTheConsoleWithoutStopping() {
        client.launch(Fixtures.launch(Counter.class, "4", "1"));
        setBreakpoints(client, Counter.class, at(TICK_BODY, b -> b.setLogMessage("tick {round} of {round + 1}")));
        client.configurationDone();
        assertThat(client.awaitOutput("stdout", "counted")).contains("counted");
        assertThat(client.output("console")).contains("tick 0 of 1\n", "tick 3 of 4\n");
        assertThat(client.events()).noneMatch(e -> e.event().equals("stopped"));
    }

    @Test
    void functionBreakpointsStopAtTheMethodsEntry() {
        client.launch(Fixtures.launch(Counter.class, "1000", "1"));
        SetFunctionBreakpointsArguments arguments = new SetFunctionBreakpointsArguments();
        FunctionBreakpoint tick = new FunctionBreakpoint();
        tick.setName(Counter.class.getName() + ".tick");
        FunctionBreakpoint nonsense = new FunctionBreakpoint();
        nonsense.setName("Counter.java:3");
        arguments.setBreakpoints(new FunctionBreakpoint[] {tick, nonsense});
        Breakpoint[] set = get(client.server().setFunctionBreakpoints(arguments)).getBreakpoints();
        assertThat(set[0].getId()).isNotNull();
        assertThat(set[1].isVerified()).isFalse();
        assertThat(set[1].getMessage()).isEqualTo("Function breakpoint 'Counter.java:3' names no method; write it as pkg.Class.method.");
        client.configurationDone();

        StoppedEventArguments stop = client.stopped();
        assertThat(stop.getReason()).isEqualTo("function breakpoint");
        assertThat(stop.getHitBreakpointIds()).containsExactly(set[0].getId());
        StackFrame top = topFrame(client, stop.getThreadId());
        assertThat(top.getName()).isEqualTo("Counter.tick");
        assertThat(top.getLine()).isEqualTo(TICK_BODY);
    }

    @Test
    void exceptionBreakpointsStopAtCaughtAndUncaughtExceptionsWithTheirDetails() {
        client.launch(Fixtures.launch(Thrower.class, "2"));
        SetExceptionBreakpointsArguments caught = new SetExceptionBreakpointsArguments();
        caught.setFilters(new String[0]);
        ExceptionFilterOptions illegalState = new ExceptionFilterOptions();
        illegalState.setFilterId("caught");
        illegalState.setCondition("java.lang.IllegalStateException");
        caught.setFilterOptions(new ExceptionFilterOptions[] {illegalState});
        assertThat(get(client.server().setExceptionBreakpoints(caught)).getBreakpoints()).hasSize(1);
        client.configurationDone();

        StoppedEventArguments stop = client.stopped();
        assertThat(stop.getReason()).isEqualTo("exception");
        assertThat(stop.getText()).isEqualTo("java.lang.IllegalStateException: round 0");
        StackFrame top = topFrame(client, stop.getThreadId());
        assertThat(top.getName()).isEqualTo("Thrower.check");
        assertThat(top.getLine()).isEqualTo(Fixtures.line(Thrower.class, "caught"));
        ExceptionInfoResponse info = exceptionInfo(stop.getThreadId());
        assertThat(info.getExceptionId()).isEqualTo("java.lang.IllegalStateException");
        assertThat(info.getDescription()).isEqualTo("round 0");
        assertThat(info.getBreakMode()).isEqualTo(ExceptionBreakMode.ALWAYS);
        assertThat(info.getDetails().getStackTrace()).contains("Thrower.check(Thrower.java:", "Thrower.main(Thrower.java:");

        SetExceptionBreakpointsArguments uncaught = new SetExceptionBreakpointsArguments();
        uncaught.setFilters(new String[] {"uncaught", "everything"});
        Breakpoint[] set = get(client.server().setExceptionBreakpoints(uncaught)).getBreakpoints();
        assertThat(set[0].isVerified()).isTrue();
        assertThat(set[1].isVerified()).isFalse();
        assertThat(set[1].getMessage()).isEqualTo("There is no exception filter 'everything'; use caught or uncaught.");
        resume(client);
        stop = client.stopped();
        assertThat(stop.getReason()).isEqualTo("exception");
        assertThat(topFrame(client, stop.getThreadId()).getLine()).isEqualTo(Fixtures.line(Thrower.class, "uncaught"));
        info = exceptionInfo(stop.getThreadId());
        assertThat(info.getExceptionId()).isEqualTo("java.lang.UnsupportedOperationException");
        assertThat(info.getBreakMode()).isEqualTo(ExceptionBreakMode.UNHANDLED);
        // The program's output comes through its stdout pipe, the stop through JDWP: no order between them.
        client.awaitOutput("stdout", "caught round 1");
    }

    @Test
    void exceptionInfoNeedsAStopAtAnException() {
        client.launch(Fixtures.launch(Counter.class, "1000", "1"));
        setBreakpoints(client, Counter.class, at(TICK_BODY));
        client.configurationDone();
        StoppedEventArguments stop = client.stopped();
        assertThat(DapClient.error(client.server().exceptionInfo(exceptionInfoArguments(stop.getThreadId()))))
                .isEqualTo("Thread " + stop.getThreadId() + " is not stopped at an exception; exception details come with stops at exception breakpoints.");
    }

    private ExceptionInfoResponse exceptionInfo(int threadId) {
        return get(client.server().exceptionInfo(exceptionInfoArguments(threadId)));
    }

    private static ExceptionInfoArguments exceptionInfoArguments(int threadId) {
        ExceptionInfoArguments arguments = new ExceptionInfoArguments();
        arguments.setThreadId(threadId);
        return arguments;
    }
}
