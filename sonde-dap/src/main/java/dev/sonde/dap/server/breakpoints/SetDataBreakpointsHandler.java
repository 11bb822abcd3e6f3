package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.error.SondeException;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import org.eclipse.lsp4j.debug.DataBreakpoint;
import org.eclipse.lsp4j.debug.SetDataBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetDataBreakpointsResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code setDataBreakpoints}: field watchpoints (read, write or both, with conditions and hit counts) for the data ids
 * {@code dataBreakpointInfo} gave, replacing those set before.
 */
public final class SetDataBreakpointsHandler implements RequestHandler<SetDataBreakpointsArguments> {

    /** The group of the data breakpoints. */
    static final String DATA = "data";

    @Override
    public Class<SetDataBreakpointsArguments> argumentsType() {
        return SetDataBreakpointsArguments.class;
    }

    @Override
    public CompletableFuture<SetDataBreakpointsResponse> handle(String command, SetDataBreakpointsArguments arguments, DebugContext context) {
        DataBreakpoint[] wanted = Require.present(arguments.getBreakpoints(), command, "breakpoints");
        List<BreakpointBook.Request> requests = new ArrayList<>();
        for (DataBreakpoint data : wanted) {
            try {
                requests.add(BreakpointBook.Request.of(DataIds.watch(data.getDataId(), data.getAccessType()),
                        BreakpointOptionsReader.read(data.getCondition(), data.getHitCondition(), null), null, 0));
            } catch (SondeException unreadable) {
                requests.add(BreakpointBook.Request.unreadable(unreadable.getMessage(), null, 0));
            }
        }
        return context.breakpoints().replace(context.session(), DATA, requests).thenApply(placed -> {
            SetDataBreakpointsResponse response = new SetDataBreakpointsResponse();
            response.setBreakpoints(placed.stream()
                    .map(p -> context.breakpoints().toDap(p, context.conventions(), context.sources()))
                    .toArray(org.eclipse.lsp4j.debug.Breakpoint[]::new));
            return response;
        });
    }
}
