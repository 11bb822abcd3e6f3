package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.RequestHandler;
import dev.sonde.dap.server.Require;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.ExceptionFilterOptions;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsResponse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code setExceptionBreakpoints}: stop where exceptions are thrown, caught or uncaught, of any class or, through a
 * filter's condition, of the classes it names. Replaces the exception breakpoints set before.
 */
public final class SetExceptionBreakpointsHandler implements RequestHandler<SetExceptionBreakpointsArguments> {

    @Override
    public Class<SetExceptionBreakpointsArguments> argumentsType() {
        return SetExceptionBreakpointsArguments.class;
    }

    @Override
    public CompletableFuture<SetExceptionBreakpointsResponse> handle(String command, SetExceptionBreakpointsArguments arguments,
                                                                     DebugContext context) {
        List<ExceptionFilterOptions> wanted = new ArrayList<>();
        for (String filter : Require.present(arguments.getFilters(), command, "filters")) {
            ExceptionFilterOptions plain = new ExceptionFilterOptions();
            plain.setFilterId(filter);
            wanted.add(plain);
        }
        if (arguments.getFilterOptions() != null) {
            wanted.addAll(Arrays.asList(arguments.getFilterOptions()));
        }
        // One DAP entry per filter; a condition naming several classes takes one Sonde breakpoint per class.
        List<BreakpointBook.Request> requests = new ArrayList<>();
        List<Integer> entryOfRequest = new ArrayList<>();
        for (int entry = 0; entry < wanted.size(); entry++) {
            for (BreakpointBook.Request request : requests(wanted.get(entry))) {
                requests.add(request);
                entryOfRequest.add(entry);
            }
        }
        return context.breakpoints().replace(context.session(), BreakpointBook.EXCEPTIONS, requests).thenApply(placed -> {
            List<List<BreakpointBook.Placed>> byEntry = new ArrayList<>();
            wanted.forEach(w -> byEntry.add(new ArrayList<>()));
            for (int i = 0; i < placed.size(); i++) {
                byEntry.get(entryOfRequest.get(i)).add(placed.get(i));
            }
            SetExceptionBreakpointsResponse response = new SetExceptionBreakpointsResponse();
            response.setBreakpoints(byEntry.stream().map(entry -> summary(entry, context)).toArray(Breakpoint[]::new));
            return response;
        });
    }

    private static List<BreakpointBook.Request> requests(ExceptionFilterOptions filter) {
        String id = filter.getFilterId();
        boolean caught = ExceptionFilters.CAUGHT.equals(id);
        if (!caught && !ExceptionFilters.UNCAUGHT.equals(id)) {
            return List.of(BreakpointBook.Request.unreadable("There is no exception filter '" + id + "'; use "
                    + ExceptionFilters.CAUGHT + " or " + ExceptionFilters.UNCAUGHT + ".", null, 0));
        }
        String condition = filter.getCondition() == null ? "" : filter.getCondition().strip();
        if (condition.isEmpty()) {
            return List.of(request(null, caught));
        }
        List<BreakpointBook.Request> requests = new ArrayList<>();
        for (String className : condition.split("[,\\s]+")) {
            if (!BreakpointSpec.CLASS_NAME.matcher(className).matches()) {
                return List.of(BreakpointBook.Request.unreadable("Exception class '" + className
                        + "' is not a class name; write names such as java.lang.IllegalStateException, separated by commas.", null, 0));
            }
            requests.add(request(className, caught));
        }
        return requests;
    }

    private static BreakpointBook.Request request(String className, boolean caught) {
        return BreakpointBook.Request.of(new BreakpointSpec.ExceptionThrown(className, caught, !caught, List.of(), List.of()),
                BreakpointOptions.DEFAULT, null, 0);
    }

    /** A filter's breakpoint: verified when all its Sonde breakpoints are, else the first reason why not. */
    private static Breakpoint summary(List<BreakpointBook.Placed> placed, DebugContext context) {
        List<Breakpoint> views = placed.stream().map(p -> context.breakpoints().toDap(p, context.conventions(), context.sources())).toList();
        Breakpoint first = views.get(0);
        views.stream().filter(view -> !view.isVerified()).findFirst().ifPresent(unverified -> {
            first.setVerified(false);
            first.setMessage(unverified.getMessage());
        });
        first.setSource(null);
        first.setLine(null);
        return first;
    }
}
