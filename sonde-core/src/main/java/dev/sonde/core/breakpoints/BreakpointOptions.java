package dev.sonde.core.breakpoints;

/**
 * How a breakpoint behaves when hit.
 *
 * @param temporary    removed after the first hit that acts ({@code tbreak})
 * @param condition    a Java expression that must be true for the hit to count; null for none
 * @param hitCondition which counted hits act; null for all
 * @param action       stop, log or snapshot
 * @param allowInvoke  whether evaluating the condition and expressions may run code in the target
 * @param operation    the sonde-runtime operation a hit must be inside (open on the hitting thread, innermost or
 *                     enclosing) to count; null for anywhere
 */
public record BreakpointOptions(boolean temporary, String condition, HitCondition hitCondition, BreakpointAction action,
                                boolean allowInvoke, String operation) {

    public static final BreakpointOptions DEFAULT = new BreakpointOptions(false, null, null, BreakpointAction.STOP, true, null);
    public static final BreakpointOptions TEMPORARY = DEFAULT.withTemporary(true);

    public BreakpointOptions {
        if (condition != null && condition.isBlank()) {
            condition = null;
        }
        if (action == null) {
            action = BreakpointAction.STOP;
        }
        if (operation != null && operation.isBlank()) {
            operation = null;
        }
    }

    public BreakpointOptions(boolean temporary, String condition, HitCondition hitCondition, BreakpointAction action, boolean allowInvoke) {
        this(temporary, condition, hitCondition, action, allowInvoke, null);
    }

    public BreakpointOptions withTemporary(boolean removeAfterHit) {
        return new BreakpointOptions(removeAfterHit, condition, hitCondition, action, allowInvoke, operation);
    }

    public BreakpointOptions withCondition(String expression) {
        return new BreakpointOptions(temporary, expression, hitCondition, action, allowInvoke, operation);
    }

    public BreakpointOptions withHitCondition(HitCondition hits) {
        return new BreakpointOptions(temporary, condition, hits, action, allowInvoke, operation);
    }

    public BreakpointOptions withAction(BreakpointAction what) {
        return new BreakpointOptions(temporary, condition, hitCondition, what, allowInvoke, operation);
    }

    public BreakpointOptions withAllowInvoke(boolean invoke) {
        return new BreakpointOptions(temporary, condition, hitCondition, action, invoke, operation);
    }

    public BreakpointOptions withOperation(String name) {
        return new BreakpointOptions(temporary, condition, hitCondition, action, allowInvoke, name);
    }

    /** Whether a hit only ever stops: no condition to evaluate, no operation to check, no hits to count, nothing to log or capture. */
    public boolean plainStop() {
        return condition == null && operation == null && hitCondition == null && action instanceof BreakpointAction.Stop;
    }

    /** The options as the console would write them after the location ({@code in orders.load if x > 3 every 2}). */
    public String describe() {
        StringBuilder out = new StringBuilder();
        if (operation != null) {
            out.append(" in ").append(operation);
        }
        if (condition != null) {
            out.append(" if ").append(condition);
        }
        if (hitCondition != null) {
            out.append(' ').append(hitCondition.describe());
        }
        switch (action) {
            case BreakpointAction.Log log -> out.append(" log \"").append(log.template()).append('"');
            case BreakpointAction.Snapshot snapshot -> {
                out.append(" snapshot");
                if (snapshot.max() > 0) {
                    out.append(" max ").append(snapshot.max());
                }
                snapshot.watches().forEach(w -> out.append(" watch ").append(w));
            }
            case BreakpointAction.Stop ignored -> {
            }
        }
        if (!allowInvoke) {
            out.append(" --no-invoke");
        }
        return out.toString().strip();
    }
}
