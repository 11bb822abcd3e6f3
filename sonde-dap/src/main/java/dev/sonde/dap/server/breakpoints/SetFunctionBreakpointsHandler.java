package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.SondeException;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import org.eclipse.lsp4j.debug.FunctionBreakpoint;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code setFunctionBreakpoints}: breakpoints at the entry of methods named {@code pkg.Class.method}, replacing those set before. */
public final class SetFunctionBreakpointsHandler implements RequestHandler<SetFunctionBreakpointsArguments> {

    @Override
    public Class<SetFunctionBreakpointsArguments> argumentsType() {
        return SetFunctionBreakpointsArguments.class;
    }

    @Override
    public CompletableFuture<SetFunctionBreakpointsResponse> handle(String command, SetFunctionBreakpointsArguments arguments,
                                                                    DebugContext context) {
        FunctionBreakpoint[] wanted = Require.present(arguments.getBreakpoints(), command, "breakpoints");
        List<BreakpointBook.Request> requests = new ArrayList<>();
        for (FunctionBreakpoint function : wanted) {
            try {
                String name = Require.present(function.getName(), command, "breakpoints[].name");
                requests.add(BreakpointBook.Request.of(method(name),
                        BreakpointOptionsReader.read(function.getCondition(), function.getHitCondition(), null), null, 0));
            } catch (SondeException unreadable) {
                requests.add(BreakpointBook.Request.unreadable(unreadable.getMessage(), null, 0));
            }
        }
        return context.breakpoints().replace(context.session(), BreakpointBook.FUNCTIONS, requests).thenApply(placed -> {
            SetFunctionBreakpointsResponse response = new SetFunctionBreakpointsResponse();
            response.setBreakpoints(placed.stream()
                    .map(p -> context.breakpoints().toDap(p, context.conventions(), context.sources()))
                    .toArray(org.eclipse.lsp4j.debug.Breakpoint[]::new));
            return response;
        });
    }

    private static BreakpointSpec method(String name) {
        BreakpointSpec spec;
        try {
            spec = BreakpointSpec.parse(name);
        } catch (SondeException unreadable) {
            spec = null;
        }
        if (spec instanceof BreakpointSpec.MethodEntry method) {
            return method;
        }
        throw SondeException.invalidInput("Function breakpoint '" + name.strip() + "' names no method; write it as pkg.Class.method.");
    }
}
