package dev.sonde.dap.server.breakpoints;

import org.eclipse.lsp4j.debug.ExceptionBreakpointsFilter;

import java.util.List;

/** The exception breakpoint filters the adapter offers: exceptions that will be caught, and those nothing catches. */
public final class ExceptionFilters {

    public static final String CAUGHT = "caught";
    public static final String UNCAUGHT = "uncaught";

    private ExceptionFilters() {
    }

    /** The filters as announced in the initialize response; a filter's condition names exception classes. */
    public static ExceptionBreakpointsFilter[] announced() {
        return List.of(
                filter(CAUGHT, "Caught Exceptions", "Stop where an exception is thrown that code will catch.", false),
                filter(UNCAUGHT, "Uncaught Exceptions", "Stop where an exception is thrown that nothing catches.", true)
        ).toArray(ExceptionBreakpointsFilter[]::new);
    }

    private static ExceptionBreakpointsFilter filter(String id, String label, String description, boolean onByDefault) {
        ExceptionBreakpointsFilter filter = new ExceptionBreakpointsFilter();
        filter.setFilter(id);
        filter.setLabel(label);
        filter.setDescription(description);
        filter.setDefault_(onByDefault);
        filter.setSupportsCondition(true);
        filter.setConditionDescription("Exception classes, comma-separated (subclasses count too), e.g. java.lang.IllegalStateException");
        return filter;
    }
}
