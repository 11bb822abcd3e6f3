package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.SondeException;
import dev.sonde.dap.server.ClientConventions;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsResponse;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code setBreakpoints}: the breakpoints of one source file, replacing those it had. A file under a source root
 * becomes a path-qualified {@code com/acme/Orders.java:LINE} spec, which Sonde resolves by name. A breakpoint with the
 * column where a lambda body starts (as breakpointLocations offers) stops in that lambda only.
 */
public final class SetBreakpointsHandler implements RequestHandler<SetBreakpointsArguments> {

    @Override
    public Class<SetBreakpointsArguments> argumentsType() {
        return SetBreakpointsArguments.class;
    }

    @Override
    public CompletableFuture<SetBreakpointsResponse> handle(String command, SetBreakpointsArguments arguments, DebugContext context) {
        Source asked = Require.present(arguments.getSource(), command, "source");
        String file = asked.getPath() != null
                ? context.sources().specFile(asked.getPath())
                : Require.present(asked.getName(), command, "source.path");
        Source source = new Source();
        source.setName(asked.getName() != null ? asked.getName() : Path.of(file).getFileName().toString());
        source.setPath(asked.getPath());
        ClientConventions conventions = context.conventions();
        List<BreakpointBook.Request> requests = new ArrayList<>();
        for (SourceBreakpoint wanted : wanted(arguments)) {
            int line = conventions.fromClientLine(wanted.getLine());
            int lambda = wanted.getColumn() == null || asked.getPath() == null ? 0 : context.lambdaColumns().lambdaAt(Path.of(asked.getPath()),
                    line, wanted.getColumn() + 1 - conventions.firstColumn());
            try {
                requests.add(BreakpointBook.Request.of(new BreakpointSpec.FileLine(file, line, lambda),
                        BreakpointOptionsReader.read(wanted.getCondition(), wanted.getHitCondition(), wanted.getLogMessage()),
                        source, line));
            } catch (SondeException unreadable) {
                requests.add(BreakpointBook.Request.unreadable(unreadable.getMessage(), source, line));
            }
        }
        return context.breakpoints().replace(context.session(), "source " + file, requests).thenApply(placed -> {
            SetBreakpointsResponse response = new SetBreakpointsResponse();
            response.setBreakpoints(placed.stream()
                    .map(p -> context.breakpoints().toDap(p, conventions, context.sources()))
                    .toArray(org.eclipse.lsp4j.debug.Breakpoint[]::new));
            return response;
        });
    }

    /** The breakpoints asked for: {@code breakpoints}, or the deprecated {@code lines} of older clients. */
    @SuppressWarnings("deprecation")
    private static List<SourceBreakpoint> wanted(SetBreakpointsArguments arguments) {
        if (arguments.getBreakpoints() != null) {
            return Arrays.asList(arguments.getBreakpoints());
        }
        if (arguments.getLines() != null) {
            return Arrays.stream(arguments.getLines()).mapToObj(line -> {
                SourceBreakpoint breakpoint = new SourceBreakpoint();
                breakpoint.setLine(line);
                return breakpoint;
            }).toList();
        }
        return List.of();
    }
}
