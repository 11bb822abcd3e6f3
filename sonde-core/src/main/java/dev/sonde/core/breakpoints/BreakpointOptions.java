package dev.sonde.core.breakpoints;

/**
 * How a breakpoint behaves when hit.
 *
 * @param temporary removed after its first hit ({@code tbreak})
 */
public record BreakpointOptions(boolean temporary) {

    public static final BreakpointOptions DEFAULT = new BreakpointOptions(false);
    public static final BreakpointOptions TEMPORARY = new BreakpointOptions(true);
}
