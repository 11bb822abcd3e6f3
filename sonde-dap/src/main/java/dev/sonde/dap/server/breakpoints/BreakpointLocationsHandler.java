package dev.sonde.dap.server.breakpoints;

import dev.sonde.dap.server.ClientConventions;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import org.eclipse.lsp4j.debug.BreakpointLocation;
import org.eclipse.lsp4j.debug.BreakpointLocationsArguments;
import org.eclipse.lsp4j.debug.BreakpointLocationsResponse;

import java.util.concurrent.CompletableFuture;

/**
 * {@code breakpointLocations}: the lines from {@code line} to {@code endLine} of a source file that hold code in the
 * loaded classes compiled from it; a file whose classes are not loaded yet has none to show.
 */
public final class BreakpointLocationsHandler implements RequestHandler<BreakpointLocationsArguments> {

    @Override
    public Class<BreakpointLocationsArguments> argumentsType() {
        return BreakpointLocationsArguments.class;
    }

    @Override
    public CompletableFuture<BreakpointLocationsResponse> handle(String command, BreakpointLocationsArguments arguments, DebugContext context) {
        Require.present(arguments.getSource(), command, "source");
        ClientConventions conventions = context.conventions();
        String path = arguments.getSource().getPath() != null
                ? context.sources().specFile(arguments.getSource().getPath())
                : Require.present(arguments.getSource().getName(), command, "source.path");
        int from = conventions.fromClientLine(arguments.getLine());
        int to = arguments.getEndLine() == null ? from : conventions.fromClientLine(arguments.getEndLine());
        return context.session().async().codeLines(path, from, to).thenApply(lines -> {
            BreakpointLocationsResponse response = new BreakpointLocationsResponse();
            response.setBreakpoints(lines.stream().map(line -> {
                BreakpointLocation location = new BreakpointLocation();
                location.setLine(conventions.toClientLine(line));
                return location;
            }).toArray(BreakpointLocation[]::new));
            return response;
        });
    }
}
