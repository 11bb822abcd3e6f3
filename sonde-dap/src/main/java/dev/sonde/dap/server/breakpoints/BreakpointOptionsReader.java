package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;

/** Sonde breakpoint options from the condition, hit condition and log message of a DAP breakpoint. */
final class BreakpointOptionsReader {

    private BreakpointOptionsReader() {
    }

    static BreakpointOptions read(String condition, String hitCondition, String logMessage) {
        BreakpointOptions options = BreakpointOptions.DEFAULT
                .withCondition(condition)
                .withHitCondition(HitConditions.parse(hitCondition));
        if (logMessage != null) {
            options = options.withAction(new BreakpointAction.Log(logMessage));
        }
        return options;
    }
}
