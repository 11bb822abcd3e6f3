package dev.sonde.dap.server.breakpoints;

import dev.sonde.dap.server.ClientConventions;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import org.eclipse.lsp4j.debug.BreakpointLocation;
import org.eclipse.lsp4j.debug.BreakpointLocationsArguments;
import org.eclipse.lsp4j.debug.BreakpointLocationsResponse;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * {@code breakpointLocations}: the lines from {@code line} to {@code endLine} of a source file that hold code in the
 * loaded classes compiled from it (a file whose classes are not loaded yet has none to show) and, on lines where lambda
 * bodies start, their columns, read from the source when the adapter can read it.
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
            response.setBreakpoints(lines.stream().flatMap(line -> {
                BreakpointLocation whole = new BreakpointLocation();
                whole.setLine(conventions.toClientLine(line));
                List<Integer> lambdas = arguments.getSource().getPath() == null ? List.of()
                        : context.lambdaColumns().on(Path.of(arguments.getSource().getPath()), line);
                return Stream.concat(Stream.of(whole), lambdas.stream().map(column -> {
                    BreakpointLocation body = new BreakpointLocation();
                    body.setLine(conventions.toClientLine(line));
                    body.setColumn(column - 1 + conventions.firstColumn());
                    return body;
                }));
            }).toArray(BreakpointLocation[]::new));
            return response;
        });
    }
}
