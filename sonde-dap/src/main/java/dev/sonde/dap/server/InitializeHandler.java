package dev.sonde.dap.server;

import dev.sonde.dap.server.breakpoints.ExceptionFilters;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;

import java.util.concurrent.CompletableFuture;

/** {@code initialize}: notes how the client counts lines and answers with what the adapter can do — exactly that. */
final class InitializeHandler implements RequestHandler<InitializeRequestArguments> {

    @Override
    public Class<InitializeRequestArguments> argumentsType() {
        return InitializeRequestArguments.class;
    }

    @Override
    public CompletableFuture<Capabilities> handle(String command, InitializeRequestArguments arguments, DebugContext context) {
        context.conventions(ClientConventions.of(arguments));
        return CompletableFuture.completedFuture(capabilities());
    }

    static Capabilities capabilities() {
        Capabilities capabilities = new Capabilities();
        capabilities.setSupportsConfigurationDoneRequest(true);
        capabilities.setSupportsFunctionBreakpoints(true);
        capabilities.setSupportsConditionalBreakpoints(true);
        capabilities.setSupportsHitConditionalBreakpoints(true);
        capabilities.setSupportsLogPoints(true);
        capabilities.setExceptionBreakpointFilters(ExceptionFilters.announced());
        capabilities.setSupportsExceptionFilterOptions(true);
        capabilities.setSupportsExceptionInfoRequest(true);
        capabilities.setSupportsEvaluateForHovers(true);
        capabilities.setSupportsClipboardContext(true);
        capabilities.setSupportsSetVariable(true);
        capabilities.setSupportsDelayedStackTraceLoading(true);
        capabilities.setSupportsTerminateRequest(true);
        capabilities.setSupportsRestartFrame(true);
        capabilities.setSupportTerminateDebuggee(true);
        capabilities.setSupportsCompletionsRequest(true);
        capabilities.setCompletionTriggerCharacters(new String[] {"."});
        capabilities.setSupportsStepInTargetsRequest(true);
        capabilities.setSupportsBreakpointLocationsRequest(true);
        capabilities.setSupportsDataBreakpoints(true);
        capabilities.setSupportsLoadedSourcesRequest(true);
        capabilities.setSupportsSetExpression(true);
        return capabilities;
    }
}
