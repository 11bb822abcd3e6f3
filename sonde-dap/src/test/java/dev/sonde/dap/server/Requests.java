package dev.sonde.dap.server;

import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StackTraceResponse;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import static dev.sonde.dap.server.DapClient.get;

/** Building and sending the common requests, for test readability. */
final class Requests {

    private Requests() {
    }

    static SourceBreakpoint at(int line) {
        SourceBreakpoint breakpoint = new SourceBreakpoint();
        breakpoint.setLine(line);
        return breakpoint;
    }

    static SourceBreakpoint at(int line, Consumer<SourceBreakpoint> options) {
        SourceBreakpoint breakpoint = at(line);
        options.accept(breakpoint);
        return breakpoint;
    }

    static Breakpoint[] setBreakpoints(DapClient client, Class<?> fixture, SourceBreakpoint... breakpoints) {
        SetBreakpointsArguments arguments = new SetBreakpointsArguments();
        Source source = new Source();
        source.setPath(Fixtures.sourcePath(fixture));
        source.setName(fixture.getSimpleName() + ".java");
        arguments.setSource(source);
        arguments.setBreakpoints(breakpoints);
        return get(client.server().setBreakpoints(arguments)).getBreakpoints();
    }

    static StackTraceResponse stackTrace(DapClient client, int threadId, Integer start, Integer levels) {
        StackTraceArguments arguments = new StackTraceArguments();
        arguments.setThreadId(threadId);
        arguments.setStartFrame(start);
        arguments.setLevels(levels);
        return get(client.server().stackTrace(arguments));
    }

    static StackFrame topFrame(DapClient client, int threadId) {
        return stackTrace(client, threadId, 0, 1).getStackFrames()[0];
    }

    static String evaluate(DapClient client, int frameId, String expression) {
        EvaluateArguments arguments = new EvaluateArguments();
        arguments.setExpression(expression);
        arguments.setFrameId(frameId);
        arguments.setContext("repl");
        return get(client.server().evaluate(arguments)).getResult();
    }

    static int localsReference(DapClient client, int frameId) {
        ScopesArguments arguments = new ScopesArguments();
        arguments.setFrameId(frameId);
        return get(client.server().scopes(arguments)).getScopes()[0].getVariablesReference();
    }

    static Variable[] variables(DapClient client, int reference) {
        VariablesArguments arguments = new VariablesArguments();
        arguments.setVariablesReference(reference);
        return get(client.server().variables(arguments)).getVariables();
    }

    /** Variables by name. */
    static Map<String, Variable> byName(Variable[] variables) {
        Map<String, Variable> named = new LinkedHashMap<>();
        Arrays.stream(variables).forEach(v -> named.putIfAbsent(v.getName(), v));
        return named;
    }

    /** Resumes the target; continue resumes every thread, but must name one that exists. */
    static void resume(DapClient client) {
        org.eclipse.lsp4j.debug.ContinueArguments arguments = new org.eclipse.lsp4j.debug.ContinueArguments();
        arguments.setThreadId(get(client.server().threads()).getThreads()[0].getId());
        get(client.server().continue_(arguments));
    }
}
