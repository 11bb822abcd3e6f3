package dev.sonde.cli.output;

import dev.sonde.core.event.Event;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.OpenOperation;
import dev.sonde.core.model.RuntimeContext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The lines under a stop (and above `where`'s stack) that say what the stopped work belongs to: who scheduled it, which operation. */
public final class StopContextTexts {

    private StopContextTexts() {
    }

    /** The stop's context, each line indented and ended; empty text when it has none. */
    public static String lines(Event.Stopped stopped) {
        StringBuilder out = new StringBuilder();
        if (stopped.async() != null) {
            out.append(handOff(stopped.async())).append(System.lineSeparator());
        }
        out.append(runtime(stopped.runtime()));
        return out.toString();
    }

    /** {@code   scheduled by thenApply on "worker-1", 3 ms earlier at Shop.total (Shop.java:42)}. */
    public static String handOff(AsyncSegment segment) {
        String at = segment.frames().stream().filter(f -> !AsyncSegment.machinery(f.location())).findFirst()
                .map(Frame::location).map(location -> " at " + location).orElse("");
        return "  scheduled by " + segment.kind() + " on " + segment.thread() + ", " + segment.ageMillis() + " ms earlier" + at;
    }

    /**
     * {@code   in operation orders.load (1.4, started 5 ms earlier on "main"), within checkout (1.3)} and
     * {@code   scopes: request > payment}, outermost first; empty text when the thread has neither.
     */
    public static String runtime(RuntimeContext runtime) {
        StringBuilder out = new StringBuilder();
        OpenOperation innermost = runtime.operation();
        if (innermost != null) {
            out.append("  in operation ").append(innermost.name()).append(" (").append(innermost.id()).append(", started ");
            if (innermost.ageMillis() >= 0) {
                out.append(innermost.ageMillis()).append(" ms earlier ");
            }
            out.append("on ").append(innermost.thread()).append(')');
            List<OpenOperation> enclosing = runtime.operations().subList(1, runtime.operations().size());
            if (!enclosing.isEmpty()) {
                out.append(", within ").append(String.join(" < ", enclosing.stream().map(o -> o.name() + " (" + o.id() + ")").toList()));
            }
            out.append(System.lineSeparator());
        }
        if (!runtime.scopes().isEmpty()) {
            List<String> outermostFirst = new ArrayList<>(runtime.scopes());
            Collections.reverse(outermostFirst);
            out.append("  scopes: ").append(String.join(" > ", outermostFirst)).append(System.lineSeparator());
        }
        return out.toString();
    }
}
