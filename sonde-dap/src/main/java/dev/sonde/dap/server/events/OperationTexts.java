package dev.sonde.dap.server.events;

import dev.sonde.core.event.Event;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.OpenOperation;
import dev.sonde.core.model.RuntimeContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a stop's context reads like in a DAP client: the stopped event's description and text, the operation's scope header. */
public final class OperationTexts {

    private OperationTexts() {
    }

    /** {@code Paused on breakpoint in operation orders.load}, or {@code Paused on breakpoint in work scheduled by thenApply}. */
    static String description(Event.Stopped stop) {
        String paused = "Paused on " + switch (stop.reason()) {
            case STEP -> "step";
            case PAUSE -> "pause";
            case METHOD_EXIT -> "method exit";
            case WATCHPOINT -> "data breakpoint";
            default -> "breakpoint";
        };
        OpenOperation operation = stop.runtime().operation();
        return operation != null ? paused + " in operation " + operation.name() : paused + " in work scheduled by " + stop.async().kind();
    }

    /** The operation (name, id, age, thread) and the scopes, then the first hand-off: one line each. */
    static String text(Event.Stopped stop) {
        List<String> lines = new ArrayList<>();
        if (!stop.runtime().isEmpty()) {
            lines.add(label(stop.runtime()));
        }
        AsyncSegment handOff = stop.async();
        if (handOff != null) {
            lines.add("scheduled by " + handOff.kind() + " on " + handOff.thread() + ", " + handOff.ageMillis() + " ms earlier");
        }
        return String.join("\n", lines);
    }

    /** {@code Operation orders.load (1.4, 5 ms, on "main") · scopes request > payment}. */
    public static String label(RuntimeContext runtime) {
        StringBuilder out = new StringBuilder();
        OpenOperation operation = runtime.operation();
        if (operation != null) {
            out.append("Operation ").append(operation.name()).append(" (").append(operation.id()).append(", ");
            if (operation.ageMillis() >= 0) {
                out.append(operation.ageMillis()).append(" ms, ");
            }
            out.append("on ").append(operation.thread()).append(')');
        }
        if (!runtime.scopes().isEmpty()) {
            List<String> outermostFirst = new ArrayList<>(runtime.scopes());
            Collections.reverse(outermostFirst);
            out.append(out.isEmpty() ? "Scopes " : " · scopes ").append(String.join(" > ", outermostFirst));
        }
        return out.toString();
    }
}
