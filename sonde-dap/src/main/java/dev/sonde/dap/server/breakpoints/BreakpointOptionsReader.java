package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.error.SondeException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sonde breakpoint options from the condition, hit condition and log message of a DAP breakpoint. A condition that
 * starts with {@code @operation == "orders.load"} (optionally followed by {@code && EXPR}) is the console's
 * {@code in orders.load}: the hit counts only inside that sonde-runtime operation.
 */
final class BreakpointOptionsReader {

    private static final Pattern OPERATION = Pattern.compile("@operation\\s*==\\s*\"([^\"]+)\"\\s*(?:&&(.*))?", Pattern.DOTALL);

    private BreakpointOptionsReader() {
    }

    static BreakpointOptions read(String condition, String hitCondition, String logMessage) {
        BreakpointOptions options = BreakpointOptions.DEFAULT.withHitCondition(HitConditions.parse(hitCondition));
        String expression = condition == null ? null : condition.strip();
        if (expression != null && expression.startsWith("@")) {
            Matcher operation = OPERATION.matcher(expression);
            if (!operation.matches() || operation.group(2) != null && operation.group(2).isBlank()) {
                throw SondeException.invalidInput("A condition starting with @ reads @operation == \"orders.load\", optionally followed by"
                        + " && EXPR; write it that way or drop the @.");
            }
            options = options.withOperation(operation.group(1));
            expression = operation.group(2) == null ? null : operation.group(2).strip();
        }
        options = options.withCondition(expression);
        if (logMessage != null) {
            options = options.withAction(new BreakpointAction.Log(logMessage));
        }
        return options;
    }
}
