package dev.sonde.dap.server;

import dev.sonde.dap.server.breakpoints.BreakpointLocationsHandler;
import dev.sonde.dap.server.breakpoints.DataBreakpointInfoHandler;
import dev.sonde.dap.server.breakpoints.ExceptionInfoHandler;
import dev.sonde.dap.server.breakpoints.SetBreakpointsHandler;
import dev.sonde.dap.server.breakpoints.SetDataBreakpointsHandler;
import dev.sonde.dap.server.breakpoints.SetExceptionBreakpointsHandler;
import dev.sonde.dap.server.breakpoints.SetFunctionBreakpointsHandler;
import dev.sonde.dap.server.hotswap.RedefineClassesHandler;
import dev.sonde.dap.server.launch.AttachHandler;
import dev.sonde.dap.server.launch.ConfigurationDoneHandler;
import dev.sonde.dap.server.launch.DisconnectHandler;
import dev.sonde.dap.server.launch.LaunchHandler;
import dev.sonde.dap.server.launch.TerminateHandler;
import dev.sonde.dap.server.threads.ContinueHandler;
import dev.sonde.dap.server.threads.PauseHandler;
import dev.sonde.dap.server.threads.RestartFrameHandler;
import dev.sonde.dap.server.sources.LoadedSourcesHandler;
import dev.sonde.dap.server.threads.StackTraceHandler;
import dev.sonde.dap.server.threads.StepHandler;
import dev.sonde.dap.server.threads.StepInHandler;
import dev.sonde.dap.server.threads.StepInTargetsHandler;
import dev.sonde.dap.server.threads.ThreadsHandler;
import dev.sonde.dap.server.variables.CompletionsHandler;
import dev.sonde.dap.server.variables.EvaluateHandler;
import dev.sonde.dap.server.variables.ScopesHandler;
import dev.sonde.dap.server.variables.SetExpressionHandler;
import dev.sonde.dap.server.variables.SetVariableHandler;
import dev.sonde.dap.server.variables.VariablesHandler;

import java.util.Map;

/** Every request the adapter serves, by DAP command: the one place a new request is registered. */
final class Handlers {

    private Handlers() {
    }

    static Map<String, RequestHandler<?>> all() {
        return Map.ofEntries(
                Map.entry("initialize", new InitializeHandler()),
                Map.entry("launch", new LaunchHandler()),
                Map.entry("attach", new AttachHandler()),
                Map.entry("setBreakpoints", new SetBreakpointsHandler()),
                Map.entry("setFunctionBreakpoints", new SetFunctionBreakpointsHandler()),
                Map.entry("setExceptionBreakpoints", new SetExceptionBreakpointsHandler()),
                Map.entry("configurationDone", new ConfigurationDoneHandler()),
                Map.entry("threads", new ThreadsHandler()),
                Map.entry("stackTrace", new StackTraceHandler()),
                Map.entry("scopes", new ScopesHandler()),
                Map.entry("variables", new VariablesHandler()),
                Map.entry("setVariable", new SetVariableHandler()),
                Map.entry("evaluate", new EvaluateHandler()),
                Map.entry("exceptionInfo", new ExceptionInfoHandler()),
                Map.entry("continue", new ContinueHandler()),
                Map.entry("next", StepHandler.next()),
                Map.entry("stepIn", new StepInHandler()),
                Map.entry("stepInTargets", new StepInTargetsHandler()),
                Map.entry("completions", new CompletionsHandler()),
                Map.entry("setExpression", new SetExpressionHandler()),
                Map.entry("breakpointLocations", new BreakpointLocationsHandler()),
                Map.entry("dataBreakpointInfo", new DataBreakpointInfoHandler()),
                Map.entry("setDataBreakpoints", new SetDataBreakpointsHandler()),
                Map.entry("loadedSources", new LoadedSourcesHandler()),
                Map.entry("stepOut", StepHandler.stepOut()),
                Map.entry("pause", new PauseHandler()),
                Map.entry("restartFrame", new RestartFrameHandler()),
                Map.entry("redefineClasses", new RedefineClassesHandler()),
                Map.entry("terminate", new TerminateHandler()),
                Map.entry("disconnect", new DisconnectHandler()));
    }
}
